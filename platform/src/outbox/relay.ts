// Publishes outbox rows (written in the same transaction as the state change that caused them).
// Rows are claimed with FOR UPDATE SKIP LOCKED, so several replicas never publish the same row at
// once; the outbox id is the message id, so the bus drops a re-publish after a crash between
// publish and commit.
//
// Ordering, exactly: a row goes out after every row that was committed before it was written (so
// one producer's rows, and an event and whatever a handler emitted on handling it, keep their
// order), and the rows of one transaction go out in id order. Rows of concurrent transactions have
// no order: ids are taken at insert and rows become visible at commit, so a row with a smaller id
// may commit, and go out, after a larger one. Each row goes out once (the id dedupes a re-publish)
// and none is lost. Consumers rely on no more: redeliveries reorder anyway, so handlers read the
// state they need from the database and ignore what is stale or done.
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

/**
 * Passes overlap: once a pass has claimed its rows, the next one may claim newer rows (the claimed
 * ones are locked and skipped) while the first awaits its publish acks and commits. A row committed
 * during a pass then waits only for the next claim, not for the rest of that pass.
 */
const MAX_PASSES_IN_FLIGHT = 2;

/** A pass that published nothing because the pass before it failed (that one says why). */
class EarlierBatchFailed extends Error {}

interface PassHooks {
  /** The rows are claimed (or the pass failed before): the next pass may start claiming. */
  claimed(): void;
  /** Settles when the previous pass's publishes have: true if they were all acked. */
  before: Promise<boolean>;
  /** Reports this pass's publishes, for the pass after it. */
  published(ok: boolean): void;
}

export function startOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const { db, bus } = opts;
  const batch = opts.batch ?? 100;
  const log = opts.log ?? createLogger("outbox");
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  /** A nudge came in that no claim started since then has seen. */
  let wanted = false;
  let claiming = false;
  /** The outcome of the publishes of the latest pass still in flight. */
  let lastPublished: Promise<boolean> = Promise.resolve(true);
  let lastError = "";

  /** One batch: claim, publish after the previous pass's rows, commit. Resolves to how many rows it took. */
  const pass = (hooks: PassHooks) =>
    inTransaction(db, async (tx) => {
      // Claim: lock the oldest unpublished rows; other relays skip them until this commits. A plain
      // SELECT, whose plan walks the partial index even when the table's statistics are stale (an
      // UPDATE ... WHERE id IN (subquery) may then scan the whole outbox on every pass).
      const claimed = await tx
        .selectFrom("outbox")
        .select(["id", "subject", "payload", "headers"])
        .where("published_at", "is", null)
        .$if(!!opts.subjects, (w) => w.where("subject", "in", opts.subjects!.length ? [...opts.subjects!] : [""]))
        .orderBy("id")
        .limit(batch)
        .forUpdate()
        .skipLocked()
        .execute();
      hooks.claimed();
      // Causal order across passes: after the previous pass's rows (which hold every row committed
      // before this claim's rows were written, or were claimed by it), and not at all when those
      // failed (the claim is rolled back, so the rows wait for the next pass).
      if (!(await hooks.before)) throw new EarlierBatchFailed();
      if (claimed.length === 0) {
        hooks.published(true);
        return { count: 0, failure: undefined };
      }
      // Sent in id order on one connection; the acks are awaited together.
      const results = Promise.allSettled(
        claimed.map((r) => bus.publish(r.subject, new Uint8Array(r.payload), { msgId: String(r.id), headers: r.headers ?? {} })),
      );
      // Losing this commit in a crash only means a re-publish, which the message id dedupes.
      // Set while the publishes are in flight: it need only precede the commit.
      await sql`set local synchronous_commit to off`.execute(tx);
      const settled = await results;
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
      hooks.published(!failed);
      // Rows whose publish failed stay unmarked for the next pass.
      const acked = claimed.filter((_, i) => settled[i].status === "fulfilled").map((r) => r.id);
      if (acked.length) await tx.updateTable("outbox").set({ published_at: new Date() }).where("id", "in", acked).execute();
      return { count: claimed.length, failure: failed?.reason as unknown };
    }).then(({ count, failure }) => {
      // Thrown after the commit, which keeps the rows that did go out marked.
      if (failure) throw failure;
      return count;
    });

  const start = () => {
    if (stopped || claiming || !wanted || inFlight.size >= MAX_PASSES_IN_FLIGHT) return;
    wanted = false;
    claiming = true;
    let claimedYet = false;
    let published!: (ok: boolean) => void;
    const before = lastPublished;
    const mine = new Promise<boolean>((r) => (published = r));
    lastPublished = mine;
    const claimed = () => {
      if (claimedYet) return;
      claimedYet = true;
      claiming = false;
      start();
    };
    const done = pass({ claimed, before, published })
      .then(
        (count) => {
          if (count === batch) wanted = true;
          lastError = "";
        },
        (err) => {
          if (err instanceof EarlierBatchFailed) return;
          // Database or bus down: say so once per outage (until a pass succeeds); the next poll retries.
          const msg = (err as Error)?.message ?? String(err);
          if (!lastError) log.warn(`outbox relay pass failed, retrying every ${opts.pollMs ?? 500} ms: ${msg}`);
          lastError = msg;
        },
      )
      .finally(() => {
        published(false); // no-op when already reported
        // A pass started after this one ended does not wait for it, nor care how it went.
        if (lastPublished === mine) lastPublished = Promise.resolve(true);
        inFlight.delete(done);
        claimed();
        start();
      });
    inFlight.add(done);
  };

  const run = () => {
    wanted = true;
    start();
  };

  const timer = setInterval(run, opts.pollMs ?? 500);
  timer.unref();
  run();

  return {
    nudge: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (inFlight.size) await Promise.all(inFlight);
    },
  };
}
