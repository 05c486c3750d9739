// Following an edition as it is made: its progress lines (edition_events) in order, and every
// change of its status, until it is published or failed. Polls the database, so it works the
// same from any process and on PGlite.
import { setTimeout as sleep } from "node:timers/promises";
import type { Selectable } from "kysely";
import type { Db } from "@newsroom/platform/db/connect";
import type { EditionEventsTable, EditionStatus } from "@newsroom/platform/db/schema";
import { EditionNotFoundError } from "./read.js";

export type WatchItem =
  | { kind: "event"; event: Selectable<EditionEventsTable> }
  | { kind: "status"; status: EditionStatus; at: Date };

export interface WatchOptions {
  pollMs?: number;
  /** Stops the watch quietly (the caller went away). */
  signal?: AbortSignal;
}

const FINAL: EditionStatus[] = ["published", "failed"];

/** Yields the events so far and the current status, then what changes; throws EditionNotFoundError for an unknown id. */
export async function* watchEdition(db: Db, id: string, opts: WatchOptions = {}): AsyncGenerator<WatchItem> {
  const pollMs = opts.pollMs ?? 500;
  let lastEventId = 0;
  let lastStatus: EditionStatus | undefined;
  while (!opts.signal?.aborted) {
    // Status first, events second: every event written before a final status is then seen
    // before the watch ends on it.
    const edition = await db.selectFrom("editions").select(["status", "published_at"]).where("id", "=", id).executeTakeFirst();
    if (!edition) throw new EditionNotFoundError(id);
    const events = await db
      .selectFrom("edition_events")
      .selectAll()
      .where("edition_id", "=", id)
      .where("id", ">", lastEventId)
      .orderBy("id")
      .execute();
    for (const event of events) {
      lastEventId = event.id;
      yield { kind: "event", event };
    }
    if (edition.status !== lastStatus) {
      lastStatus = edition.status;
      yield { kind: "status", status: edition.status, at: edition.published_at ?? new Date() };
    }
    if (FINAL.includes(edition.status)) return;
    try {
      await sleep(pollMs, undefined, { signal: opts.signal });
    } catch {
      return; // aborted
    }
  }
}
