// Publishes outbox rows (written in the same transaction as the state change that caused them).
// Rows are claimed with FOR UPDATE SKIP LOCKED, so several replicas never publish the same row at
// once; the outbox id is the message id, so the bus drops a re-publish after a crash between
// publish and commit.
import { sql } from "kysely";
import type { Bus } from "../bus/types.js";
import type { Db } from "../db/connect.js";
import { createLogger, type Logger } from "../log.js";
import { inTransaction } from "../runner/transactions.js";

export interface OutboxRelayOptions {
  db: Db;
  bus: Bus;
  pollMs?: number;
  batch?: number;
  log?: Logger;
  /**
   * Publish only rows with these subjects: a service's NATS user may publish only what that
   * service emits, and rows of other services are left to their own relays. All when absent.
   */
  subjects?: readonly string[];
}

export interface OutboxRelay {
  /** Run a pass now (called after a commit that queued events). */
  nudge(): void;
  /** Stop polling and wait for the pass in progress. */
  stop(): Promise<void>;
}

export function startOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const { db, bus } = opts;
  const batch = opts.batch ?? 100;
  const log = opts.log ?? createLogger("outbox");
  let stopped = false;
  let again = false;
  let current: Promise<void> | undefined;
  let lastError = "";

  /** One batch: how many rows it took, and the first publish failure if any. */
  const pass = () =>
    inTransaction(db, async (tx) => {
      // Losing this commit in a crash only means a re-publish, which the message id dedupes.
      await sql`set local synchronous_commit to off`.execute(tx);
      // Claim and mark in one statement; rows whose publish fails are unmarked before the commit.
      const claimed = await tx
        .updateTable("outbox")
        .set({ published_at: new Date() })
        .where("id", "in", (q) =>
          q
            .selectFrom("outbox")
            .select("id")
            .where("published_at", "is", null)
            .$if(!!opts.subjects, (w) => w.where("subject", "in", opts.subjects!.length ? [...opts.subjects!] : [""]))
            .orderBy("id")
            .limit(batch)
            .forUpdate()
            .skipLocked(),
        )
        .returning(["id", "subject", "payload", "headers"])
        .execute();
      if (claimed.length === 0) return { count: 0, failure: undefined };
      const rows = claimed.sort((a, b) => Number(a.id) - Number(b.id));
      // Sent in id order on one connection; the acks are awaited together.
      const results = await Promise.allSettled(
        rows.map((r) => bus.publish(r.subject, new Uint8Array(r.payload), { msgId: String(r.id), headers: r.headers ?? {} })),
      );
      const unpublished = rows.filter((_, i) => results[i].status === "rejected").map((r) => r.id);
      if (unpublished.length) await tx.updateTable("outbox").set({ published_at: null }).where("id", "in", unpublished).execute();
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      return { count: rows.length, failure: failed?.reason as unknown };
    });

  const drain = async () => {
    do {
      again = false;
      try {
        const { count, failure } = (await pass()) ?? { count: 0 };
        if (failure) throw failure;
        if (count === batch) again = true;
        lastError = "";
      } catch (err) {
        // Database or bus down: say so once per distinct error; the next poll retries.
        const msg = (err as Error)?.message ?? String(err);
        if (msg !== lastError) log.warn(`outbox relay pass failed, retrying every ${opts.pollMs ?? 500} ms: ${msg}`);
        lastError = msg;
        again = false;
      }
    } while (again && !stopped);
  };

  const run = () => {
    if (stopped) return;
    if (current) {
      again = true;
      return;
    }
    current = drain().finally(() => (current = undefined));
  };

  const timer = setInterval(run, opts.pollMs ?? 500);
  timer.unref();
  run();

  return {
    nudge: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
