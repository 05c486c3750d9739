// The HandlerContext a handler gets: reads on the db, and one commit that writes the
// handler's effects, the events they cause (outbox) and the processed-event key together.
import type { Db } from "../db/connect.js";
import type { EventMeta } from "../events.js";
import type { HandlerContext } from "../handler.js";
import { ledgerFor } from "../ledger/ledger.js";
import { outboxEmit } from "../outbox/write.js";
import { inTransaction } from "./transactions.js";

/** The event was already handled (by this worker before a crash, or by a competing one). */
export class AlreadyProcessedError extends Error {
  override name = "AlreadyProcessedError";
}

export interface ContextOptions {
  db: Db;
  consumer: string;
  meta: EventMeta;
  working?: () => void;
  /** Called after a commit that queued events, so the outbox relay publishes them at once. */
  onCommitted?: () => void;
  onProgress?: (line: { editionId: string; storyId?: string; stage: string; message: string }) => void;
}

export interface RunnableContext extends HandlerContext {
  /** Records the processed key when the handler did not commit anything itself. */
  finish(): Promise<void>;
}

export async function isProcessed(db: Db, consumer: string, key: string): Promise<boolean> {
  const row = await db.selectFrom("processed_events").select("key").where("consumer", "=", consumer).where("key", "=", key).executeTakeFirst();
  return !!row;
}

export function createHandlerContext(opts: ContextOptions): RunnableContext {
  const { db, consumer, meta } = opts;
  let committed = false;

  const claim = async (tx: Db) => {
    const row = await tx
      .insertInto("processed_events")
      .values({ consumer, key: meta.idempotencyKey })
      .onConflict((oc) => oc.doNothing())
      .returning("key")
      .executeTakeFirst();
    if (!row) throw new AlreadyProcessedError(`${consumer}: ${meta.idempotencyKey} was already processed`);
  };

  return {
    db,
    meta,
    working: () => opts.working?.(),
    async commit(fn) {
      if (committed) throw new Error("commit() may be called once per event");
      let queued = 0;
      // The ledger rows of this handler's model calls are in before the events they led to.
      await ledgerFor(db).flush();
      await inTransaction(db, async (tx) => {
        await claim(tx as unknown as Db);
        await fn(tx, outboxEmit(tx, () => queued++));
      });
      committed = true;
      if (queued) opts.onCommitted?.();
    },
    async progress(stage, message, storyId) {
      await db.insertInto("edition_events").values({ edition_id: meta.editionId, story_id: storyId ?? null, stage, status: "info", message }).execute();
      opts.onProgress?.({ editionId: meta.editionId, storyId, stage, message });
    },
    async finish() {
      if (committed) return;
      await ledgerFor(db).flush();
      // One statement: atomic on its own, one round trip instead of three.
      await claim(db);
      committed = true;
    },
  };
}

