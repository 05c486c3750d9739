// The listener API in-process (fastify inject, a real PGlite database): what an accepted beacon
// writes to the outbox, whose address the per-address rate limit counts, and how downloads are
// counted without addresses (a day's salt, deleted the next day).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@newsroom/platform/db/connect";
import { decodeEvent, ListenEvent } from "@newsroom/platform/events";
import { downloadCounter } from "@newsroom/site/listens/downloads";
import { buildSite } from "@newsroom/site/site";
import { freshPglite } from "../support/services.js";

const ED = "2026-11-28-evening-api01";
const PER_MINUTE = 5;
let db: Db;
let app: FastifyInstance;

beforeAll(async () => {
  db = await freshPglite();
  const root = mkdtempSync(join(tmpdir(), "newsroom-listens-api-"));
  mkdirSync(join(root, ED));
  const stories = [{ id: "s1", headline: "One", start_ms: 1000, end_ms: 4000 }];
  writeFileSync(join(root, ED, "edition.json"), JSON.stringify({ id: ED, title: "Test", language: "en", duration_ms: 6000, stories }));
  app = await buildSite({ root, listens: { db, nudgeOutbox: () => {}, perMinute: PER_MINUTE } });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await db?.destroy();
});

const post = (body: unknown, from: { remoteAddress: string; forwardedFor?: string }) =>
  app.inject({
    method: "POST",
    url: "/api/v1/listens",
    remoteAddress: from.remoteAddress,
    headers: { "content-type": "application/json", ...(from.forwardedFor ? { "x-forwarded-for": from.forwardedFor } : {}) },
    payload: JSON.stringify(body),
  });

describe("POST /api/v1/listens", () => {
  it("writes one listen.recorded outbox row for an accepted beacon, and none for a refused one", async () => {
    const res = await post({ edition: ED, event: "progress", session: "apiapiapiapiapi00001", position: 2.5 }, { remoteAddress: "127.0.0.1" });
    expect(res.statusCode).toBe(204);
    expect((await post({ edition: ED, event: "progress", session: "apiapiapiapiapi00001", position: 60 }, { remoteAddress: "127.0.0.1" })).statusCode).toBe(400);
    const rows = await db.selectFrom("outbox").select(["subject", "payload"]).execute();
    expect(rows.map((r) => r.subject)).toEqual(["listen.recorded"]);
    const event = decodeEvent("listen.recorded", rows[0].payload);
    expect(event).toMatchObject({ event: ListenEvent.LISTEN_EVENT_PROGRESS, session: "apiapiapiapiapi00001", positionMs: 2500 });
    expect(event.meta?.editionId).toBe(ED);
  });

  it("counts a client on the internet by its own address, whatever X-Forwarded-For it sends", async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= PER_MINUTE; i++) statuses.push((await post({ edition: ED }, { remoteAddress: "203.0.113.50", forwardedFor: `198.51.100.${i}` })).statusCode);
    expect(statuses.slice(0, PER_MINUTE).every((s) => s === 400)).toBe(true);
    expect(statuses[PER_MINUTE]).toBe(429);
  });

  it("believes X-Forwarded-For from a proxy on a private network (the cluster's ingress)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= PER_MINUTE; i++) statuses.push((await post({ edition: ED }, { remoteAddress: "10.0.0.5", forwardedFor: `198.51.100.${i}` })).statusCode);
    expect(statuses).toEqual(Array(PER_MINUTE + 1).fill(400));
  });
});

describe("download counting", () => {
  it("hashes a client with the day's salt, and the next day deletes the earlier salts and client hashes", async () => {
    let now = new Date("2026-11-28T10:00:00Z");
    const count = downloadCounter({ db, nudgeOutbox: () => {}, clock: () => now });
    const client = { editionId: ED, address: "198.51.100.7", userAgent: "Overcast/3.0" };
    const sessions = async () =>
      (await db.selectFrom("outbox").select("payload").where("subject", "=", "listen.recorded").orderBy("id").execute())
        .map((r) => decodeEvent("listen.recorded", r.payload))
        .filter((e) => e.event === ListenEvent.LISTEN_EVENT_DOWNLOAD)
        .map((e) => e.session);

    await count(client);
    await count(client); // the same client the same day: one event
    await count({ ...client, userAgent: "AntennaPod/3.4" });
    const day1 = await sessions();
    expect(day1).toHaveLength(2);
    for (const s of day1) expect(s).not.toContain("198.51.100");
    // What the consumer would have kept of day 1.
    await db.insertInto("listen_downloads").values(day1.map((client) => ({ edition_id: ED, day: "2026-11-28", client }))).execute();

    now = new Date("2026-11-29T00:00:01Z");
    await count(client);
    const all = await sessions();
    expect(all).toHaveLength(3);
    expect(day1).not.toContain(all[2]); // a new salt: the same client is not recognisable across days
    expect((await db.selectFrom("download_salts").select("day").execute()).map((r) => r.day)).toEqual(["2026-11-29"]);
    expect(await db.selectFrom("listen_downloads").selectAll().execute()).toEqual([]);
  });
});
