// The consumer of listen.recorded: moves the session's furthest position and counts each
// milestone (started, reached a story, finished it, completed; a download) once per session, in
// the transaction that records the event as processed, so a redelivery changes nothing.
import { sql, type Transaction } from "kysely";
import type { Database } from "@newsroom/platform/db/schema";
import { ListenEvent, type EventOf } from "@newsroom/platform/events";
import type { Handler } from "@newsroom/platform/handler";
import type { Logger } from "@newsroom/platform/log";
import type { EditionTimes, EditionTimesReader } from "./edition-times.js";
import { countDownload, countMilestones } from "./metrics.js";
import { advance, isEmpty, milestones, type BeaconKind, type Milestones, type SessionState } from "./progress.js";

type Tx = Transaction<Database>;

const KINDS: Partial<Record<ListenEvent, BeaconKind>> = {
  [ListenEvent.LISTEN_EVENT_START]: "start",
  [ListenEvent.LISTEN_EVENT_PROGRESS]: "progress",
  [ListenEvent.LISTEN_EVENT_COMPLETE]: "complete",
};

export function recordListen(opts: { editionTimes: EditionTimesReader; log?: Logger }): Handler<"listen.recorded"> {
  return async (event, ctx) => {
    const editionId = ctx.meta.editionId;
    if (event.event === ListenEvent.LISTEN_EVENT_DOWNLOAD) return recordDownload(event, ctx.meta.occurredAt ?? new Date(), editionId, ctx);
    const kind = KINDS[event.event];
    if (!kind || !event.session) {
      opts.log?.warn("listen event ignored: no kind or session", { editionId, event: event.event });
      return;
    }
    // An edition whose files are gone still counts its sessions; only the per-story figures need its times.
    const times = await opts.editionTimes(editionId);
    let moved: Milestones | undefined;
    await ctx.commit(async (tx) => {
      moved = await advanceSession(tx, editionId, event.session, { kind, positionMs: Number(event.positionMs) }, times);
      await addMilestones(tx, editionId, moved);
    });
    if (moved) countMilestones(editionId, times, moved);
  };
}

/** The session's state before and after the beacon, with its row locked so concurrent beacons of one session queue. */
async function advanceSession(tx: Tx, editionId: string, session: string, beacon: { kind: BeaconKind; positionMs: number }, times: EditionTimes | null): Promise<Milestones> {
  const duration = times?.durationMs ?? null;
  const fresh = advance(null, beacon, duration);
  const inserted = await tx
    .insertInto("listen_sessions")
    .values({ edition_id: editionId, session, furthest_ms: fresh.furthestMs, completed: fresh.completed })
    .onConflict((oc) => oc.columns(["edition_id", "session"]).doNothing())
    .returning("session")
    .executeTakeFirst();
  if (inserted) return milestones(times?.stories ?? [], null, fresh);

  const row = await tx
    .selectFrom("listen_sessions")
    .select(["furthest_ms", "completed"])
    .where("edition_id", "=", editionId)
    .where("session", "=", session)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const before: SessionState = { furthestMs: row.furthest_ms, completed: row.completed };
  const after = advance(before, beacon, duration);
  const moved = milestones(times?.stories ?? [], before, after);
  if (after.furthestMs !== before.furthestMs || after.completed !== before.completed)
    await tx
      .updateTable("listen_sessions")
      .set({ furthest_ms: after.furthestMs, completed: after.completed, updated_at: new Date() })
      .where("edition_id", "=", editionId)
      .where("session", "=", session)
      .execute();
  return moved;
}

async function addMilestones(tx: Tx, editionId: string, m: Milestones): Promise<void> {
  if (isEmpty(m)) return;
  if (m.started || m.completed) await bumpEdition(tx, editionId, { started: Number(m.started), completed: Number(m.completed) });
  const stories = new Set([...m.reached, ...m.finished]);
  for (const storyId of stories)
    await tx
      .insertInto("listen_stories")
      .values({ edition_id: editionId, story_id: storyId, reached: Number(m.reached.includes(storyId)), finished: Number(m.finished.includes(storyId)) })
      .onConflict((oc) =>
        oc.columns(["edition_id", "story_id"]).doUpdateSet({
          reached: sql<number>`listen_stories.reached + excluded.reached`,
          finished: sql<number>`listen_stories.finished + excluded.finished`,
        }),
      )
      .execute();
}

async function bumpEdition(tx: Tx, editionId: string, by: { started?: number; completed?: number; downloads?: number }): Promise<void> {
  await tx
    .insertInto("listen_editions")
    .values({ edition_id: editionId, started: by.started ?? 0, completed: by.completed ?? 0, downloads: by.downloads ?? 0 })
    .onConflict((oc) =>
      oc.column("edition_id").doUpdateSet({
        started: sql<number>`listen_editions.started + excluded.started`,
        completed: sql<number>`listen_editions.completed + excluded.completed`,
        downloads: sql<number>`listen_editions.downloads + excluded.downloads`,
      }),
    )
    .execute();
}

/** One download per client a day: the client hash (salted per day by the site) is kept with its day. */
async function recordDownload(
  event: EventOf<"listen.recorded">,
  at: Date,
  editionId: string,
  ctx: Parameters<Handler<"listen.recorded">>[1],
): Promise<void> {
  let counted = false;
  await ctx.commit(async (tx) => {
    const inserted = await tx
      .insertInto("listen_downloads")
      .values({ edition_id: editionId, day: at.toISOString().slice(0, 10), client: event.session })
      .onConflict((oc) => oc.doNothing())
      .returning("client")
      .executeTakeFirst();
    if (!inserted) return;
    counted = true;
    await bumpEdition(tx, editionId, { downloads: 1 });
  });
  if (counted) countDownload(editionId);
}
