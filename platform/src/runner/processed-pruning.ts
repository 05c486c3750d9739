// Forgets processed-event keys (the consumers' idempotency, ./context.ts) once no copy of their
// event can come back; without it every event handled (every listener beacon) stays a row forever.
// A copy can come back while the stream still holds the message (its max age), while the outbox row
// that carried it is not yet marked published (the relay sends it again, possibly after the
// stream's duplicate window), and when an operator replays a dead letter (every consumer of its
// subject gets it again). So a key is deleted only when it is older than the stream's max age plus
// a margin, older than the oldest unpublished outbox row, and no dead letter awaiting replay has it.
import { STREAM_MAX_AGE_MS } from "../bus/jetstream.js";
import type { Db } from "../db/connect.js";
import { decodeEvent, EVENTS, type EventName } from "../events.js";
import type { Logger } from "../log.js";

/** A day past the stream's max age: for clocks that disagree and deliveries that lag. */
export const PROCESSED_RETENTION_MS = STREAM_MAX_AGE_MS + 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;
/** The first pass waits a little, so a start is not slowed by it. */
const FIRST_PRUNE_AFTER_MS = 60_000;

export interface PruneOptions {
  retentionMs?: number;
  now?: Date;
}

/** Deletes the keys no redelivery can need any more; returns how many. */
export async function pruneProcessedEvents(db: Db, opts: PruneOptions = {}): Promise<number> {
  const now = opts.now ?? new Date();
  let cutoff = new Date(now.getTime() - (opts.retentionMs ?? PROCESSED_RETENTION_MS));
  const { oldest } = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.min("created_at").as("oldest"))
    .where("published_at", "is", null)
    .executeTakeFirstOrThrow();
  if (oldest && new Date(oldest) < cutoff) cutoff = new Date(oldest);
  const keep = await deadLetterKeys(db);
  let q = db.deleteFrom("processed_events").where("processed_at", "<", cutoff);
  if (keep.length) q = q.where("key", "not in", keep);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The idempotency keys of dead letters not yet replayed (few: each one is an operator's to-do). */
async function deadLetterKeys(db: Db): Promise<string[]> {
  const letters = await db.selectFrom("dead_letters").select(["subject", "payload"]).where("replayed_at", "is", null).execute();
  const keys = new Set<string>();
  for (const l of letters) {
    if (!(l.subject in EVENTS)) continue;
    try {
      const key = decodeEvent(l.subject as EventName, new Uint8Array(l.payload)).meta?.idempotencyKey;
      if (key) keys.add(key);
    } catch {
      // A malformed message was never processed by anyone: no key to keep.
    }
  }
  return [...keys];
}

/** Prunes hourly in the background of a process that consumes events. */
export function startProcessedPruning(opts: { db: Db; log: Logger; everyMs?: number }): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const pass = async () => {
    try {
      const deleted = await pruneProcessedEvents(opts.db);
      if (deleted) opts.log.info(`forgot ${deleted} processed-event keys no redelivery can need`);
    } catch (err) {
      // The database away: the next pass tries again; nothing depends on this one.
      opts.log.debug(`processed-event pruning skipped: ${(err as Error).message}`);
    }
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(() => {
        running = undefined;
        schedule(opts.everyMs ?? PRUNE_EVERY_MS);
      });
    }, ms);
    timer.unref();
  };
  schedule(FIRST_PRUNE_AFTER_MS);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
