import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPglite } from "../../../../test/support/services.js";
import { testConfig } from "../../../../test/grpc/fixtures.js";
import type { Db } from "@newsroom/platform/db/connect";
import { decodeEvent, Slot } from "@newsroom/platform/events";
import { EditionNotFoundError, getEdition, listEditions } from "./read.js";
import { EditionRequestError, requestEdition, slotAt } from "./request.js";
import { watchEdition, type WatchItem } from "./watch.js";

let db: Db;
beforeAll(async () => {
  db = await freshPglite();
}, 60_000);
afterAll(async () => {
  await db?.destroy();
});

describe("slotAt", () => {
  it("is morning before 14:00 in the edition's time zone, evening from 14:00", () => {
    expect(slotAt(new Date("2026-11-28T05:59:59Z"), "Asia/Shanghai")).toBe("morning"); // 13:59 local
    expect(slotAt(new Date("2026-11-28T06:00:00Z"), "Asia/Shanghai")).toBe("evening"); // 14:00 local
    expect(slotAt(new Date("2026-11-28T06:00:00Z"), "America/New_York")).toBe("morning"); // 01:00 local
  });
});

describe("requestEdition", () => {
  it("writes the edition and its edition.requested outbox row together", async () => {
    const secret = "sk-test-do-not-store-9f8e7d";
    const config = testConfig({ ACME_API_KEY: secret });
    const now = new Date("2026-11-27T17:30:00Z"); // 01:30 on the 28th in Shanghai
    let committed = 0;
    const before = Date.now();
    const { editionId } = await requestEdition({ db, config, now, onCommitted: () => committed++ });
    const after = Date.now();

    expect(editionId).toMatch(/^2026-11-28-morning-[0-9a-f]{6}$/);
    expect(committed).toBe(1);
    const row = (await getEdition(db, editionId))!;
    expect(row).toMatchObject({ status: "requested", slot: "morning", language: "en" });
    expect(row.now.toISOString()).toBe(now.toISOString());
    // The deadline runs from the real clock, not from the (historical) edition time.
    const deadline = row.deadline_at.getTime();
    expect(deadline).toBeGreaterThanOrEqual(before + 20 * 60_000 - 1000);
    expect(deadline).toBeLessThanOrEqual(after + 20 * 60_000 + 1000);

    const snapshot = JSON.stringify(row.config);
    expect(snapshot).toContain("ACME_API_KEY");
    expect(snapshot).not.toContain(secret);
    expect(row.config).not.toHaveProperty("chains");
    expect(row.notes).toContainEqual(expect.objectContaining({ kind: "offline" }));
    // The only warnings are the loopback podcast.base_url and the fixture's feed file that is not there
    // (it serves and reads nothing): no single-camp or credential warning.
    expect(row.notes.filter((n) => n.kind === "warning" && !/podcast\.base_url|feeds\[0\]\.file: .* does not exist/.test(n.message))).toEqual([]);

    const outbox = await db.selectFrom("outbox").selectAll().where("subject", "=", "edition.requested").execute();
    const mine = outbox.map((o) => ({ o, e: decodeEvent("edition.requested", o.payload) })).find((x) => x.e.meta?.editionId === editionId)!;
    expect(mine).toBeDefined();
    expect(mine.e.meta?.idempotencyKey).toBe(`requested:${editionId}`);
    expect(mine.e.slot).toBe(Slot.SLOT_MORNING);
    expect(mine.e.now?.toISOString()).toBe(now.toISOString());
    expect(mine.e.deadline?.getTime()).toBe(deadline);
    expect(mine.o.published_at).toBeNull();
  });

  it("keeps the config's warnings in the notes and honours an explicit slot", async () => {
    const { editionId } = await requestEdition({ db, config: testConfig({}), slot: "evening", now: new Date("2026-11-28T01:00:00Z") });
    expect(editionId).toMatch(/^2026-11-28-evening-/);
    const row = (await getEdition(db, editionId))!;
    expect(row.notes).toContainEqual({ kind: "warning", message: expect.stringContaining("ACME_API_KEY is not set") });
  });

  it("refuses bad input with a clear message and writes nothing", async () => {
    const count = async () => (await db.selectFrom("editions").select(db.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    const n = Number(await count());
    await expect(requestEdition({ db, config: testConfig(), now: new Date("nonsense") })).rejects.toThrow(EditionRequestError);
    await expect(requestEdition({ db, config: testConfig(), slot: "noon" as never })).rejects.toThrow(/slot: expected "morning" or "evening"/);
    expect(Number(await count())).toBe(n);
  });

  it("lists the newest editions first", async () => {
    const a = await requestEdition({ db, config: testConfig() });
    const b = await requestEdition({ db, config: testConfig() });
    const ids = (await listEditions(db, 2)).map((e) => e.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids)).toEqual(new Set([a.editionId, b.editionId]));
  });
});

describe("watchEdition", () => {
  it("yields progress lines in order, then status changes, and ends on a final status", async () => {
    const { editionId } = await requestEdition({ db, config: testConfig() });
    await db.insertInto("edition_events").values({ edition_id: editionId, stage: "ingest", status: "info", message: "fetched 3 feeds" }).execute();

    const seen: WatchItem[] = [];
    const watching = (async () => {
      for await (const item of watchEdition(db, editionId, { pollMs: 20 })) {
        seen.push(item);
        if (seen.length === 2) {
          // Only after the first poll: these must arrive as news, not as the backlog.
          await db.insertInto("edition_events").values({ edition_id: editionId, story_id: "s1", stage: "write", status: "info", message: "drafted" }).execute();
          await db.updateTable("editions").set({ status: "editing" }).where("id", "=", editionId).execute();
          await db.insertInto("edition_events").values({ edition_id: editionId, stage: "publish", status: "info", message: "done" }).execute();
          await db.updateTable("editions").set({ status: "failed" }).where("id", "=", editionId).execute();
        }
      }
    })();
    await watching;

    const lines = seen.map((i) => (i.kind === "event" ? `event ${i.event.stage}: ${i.event.message}` : `status ${i.status}`));
    expect(lines[0]).toBe("event ingest: fetched 3 feeds");
    expect(lines[1]).toBe("status requested");
    expect(lines.at(-1)).toBe("status failed");
    // Every progress line written before the final status is delivered before the watch ends.
    expect(lines).toContain("event write: drafted");
    expect(lines).toContain("event publish: done");
    expect(lines.indexOf("event write: drafted")).toBeLessThan(lines.indexOf("event publish: done"));
  });

  it("stops quietly when its signal is aborted", async () => {
    const { editionId } = await requestEdition({ db, config: testConfig() });
    const stop = new AbortController();
    const seen: WatchItem[] = [];
    for await (const item of watchEdition(db, editionId, { pollMs: 20, signal: stop.signal })) {
      seen.push(item);
      stop.abort();
    }
    expect(seen).toEqual([{ kind: "status", status: "requested", at: expect.any(Date) }]);
  });

  it("throws EditionNotFoundError for an unknown edition", async () => {
    const run = async () => {
      for await (const _ of watchEdition(db, "2026-01-01-morning-000000")) void _;
    };
    await expect(run()).rejects.toThrow(EditionNotFoundError);
  });
});
