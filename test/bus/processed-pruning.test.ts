// Processed-event keys are forgotten only when no copy of their event can come back: older than
// the stream's max age plus a margin, older than the oldest unpublished outbox row (the relay
// would send it again), and not the key of a dead letter awaiting replay. On a real Postgres.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { STREAM_MAX_AGE_MS } from "@newsroom/platform/bus/jetstream";
import type { Db } from "@newsroom/platform/db/connect";
import { ListenEvent } from "@newsroom/platform/events";
import { encodeOutgoing } from "@newsroom/platform/outbox/write";
import { isProcessed } from "@newsroom/platform/runner/context";
import { PROCESSED_RETENTION_MS, pruneProcessedEvents } from "@newsroom/platform/runner/processed-pruning";
import { freshPostgres, need } from "../support/services.js";

const DAY = 24 * 3600_000;
const NOW = new Date();
const ago = (ms: number) => new Date(NOW.getTime() - ms);

let ok = false;
let pg: Awaited<ReturnType<typeof freshPostgres>>;
let db: Db;

beforeAll(async () => {
  ok = await need("postgres");
  if (ok) ({ db } = pg = await freshPostgres());
}, 60_000);
afterAll(async () => {
  if (ok) await pg.drop();
});
beforeEach(async () => {
  if (!ok) return;
  for (const table of ["processed_events", "outbox", "dead_letters"] as const) await db.deleteFrom(table).execute();
});

async function processed(key: string, at: Date, consumer = "site-listen-recorded"): Promise<void> {
  await db.insertInto("processed_events").values({ consumer, key, processed_at: at }).execute();
}

async function keys(): Promise<string[]> {
  return (await db.selectFrom("processed_events").select("key").orderBy("key").execute()).map((r) => r.key);
}

function deadLetter(key: string, replayed: boolean) {
  const payload = encodeOutgoing("listen.recorded", { event: ListenEvent.LISTEN_EVENT_START, session: "s".repeat(16), positionMs: 0 }, { editionId: "ed", key });
  return db
    .insertInto("dead_letters")
    .values({ consumer: "site-listen-recorded", subject: "listen.recorded", payload: Buffer.from(payload), headers: "{}", reason: "test", deliveries: 5, replayed_at: replayed ? ago(DAY) : null })
    .execute();
}

describe("pruning processed_events", () => {
  it("keeps keys for the stream's max age plus a margin, then forgets them", async (ctx) => {
    if (!ok) ctx.skip();
    expect(PROCESSED_RETENTION_MS).toBeGreaterThan(STREAM_MAX_AGE_MS);
    await processed("a-old", ago(PROCESSED_RETENTION_MS + DAY));
    await processed("b-inside-margin", ago(STREAM_MAX_AGE_MS + DAY / 2));
    await processed("c-recent", ago(DAY));
    await processed("d-old-other-consumer", ago(30 * DAY), "publisher-edition-completed");
    expect(await pruneProcessedEvents(db, { now: NOW })).toBe(2);
    expect(await keys()).toEqual(["b-inside-margin", "c-recent"]);
    // What the consumers check before handling a delivery: a kept key still stops a redelivery.
    expect(await isProcessed(db, "site-listen-recorded", "c-recent")).toBe(true);
    expect(await pruneProcessedEvents(db, { now: NOW })).toBe(0);
  });

  it("keeps what an unpublished outbox row could bring back, until the row goes out", async (ctx) => {
    if (!ok) ctx.skip();
    // A row the relay has not marked published (a crash between publish and mark, a long NATS
    // outage): it is sent again, after the duplicate window, so its event's keys must stay.
    const [row] = await db
      .insertInto("outbox")
      .values({ subject: "listen.recorded", payload: Buffer.from([1]), headers: "{}", created_at: ago(20 * DAY) })
      .returning("id")
      .execute();
    await processed("after-the-row", ago(19 * DAY));
    await processed("before-the-row", ago(21 * DAY));
    expect(await pruneProcessedEvents(db, { now: NOW })).toBe(1);
    expect(await keys()).toEqual(["after-the-row"]);
    await db.updateTable("outbox").set({ published_at: NOW }).where("id", "=", row.id).execute();
    expect(await pruneProcessedEvents(db, { now: NOW })).toBe(1);
    expect(await keys()).toEqual([]);
  });

  it("keeps the key of a dead letter awaiting replay (its other consumers would handle it again), not of a replayed one", async (ctx) => {
    if (!ok) ctx.skip();
    await processed("awaiting-replay", ago(30 * DAY), "other-consumer");
    await processed("replayed", ago(30 * DAY), "other-consumer");
    await deadLetter("awaiting-replay", false);
    await deadLetter("replayed", true);
    await db.insertInto("dead_letters").values({ consumer: "x", subject: "listen.recorded", payload: Buffer.from([0xff, 0xff]), headers: "{}", reason: "malformed", deliveries: 1 }).execute();
    expect(await pruneProcessedEvents(db, { now: NOW })).toBe(1);
    expect(await keys()).toEqual(["awaiting-replay"]);
  });
});
