// The completion rate, end to end: two site replicas (Postgres, NATS, one shared durable
// consumer) serve a short edition; Chromium listeners play it (one to the end, one stopping in
// story 2) and their pages' beacons become listen.recorded events aggregated in Postgres. The
// stats API, the stats page and the OpenTelemetry counters then agree: 50% and the drop-off per
// story. Bad beacons (unknown edition, oversized, malformed, flood) get 4xx and change nothing,
// and downloads count once per client a day without an address in the database.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { metrics } from "@opentelemetry/api";
import { metrics as sdkMetrics } from "@opentelemetry/sdk-node";
import type { Browser, Page, Request } from "playwright-core";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@newsroom/platform/db/connect";
import { runServices, type RunningServices } from "@newsroom/platform/service/run";
import { assembleEdition } from "@newsroom/publisher/assemble";
import type { EditionDocument } from "@newsroom/publisher/edition-json";
import { servicesNamed } from "@newsroom/cli/services";
import { LISTEN_METRIC_NAMES } from "@newsroom/site/listens/metrics";
import { decodeEvent } from "@newsroom/platform/events";
import { freshPostgres, NATS_URL, need, uniqueBusNames } from "../support/services.js";
import { launchChromium, waitFor } from "./harness.js";
import { deleteStream } from "../bus/harness.js";
import { publisherConfig, seedCalls, seedEdition } from "../publisher/seed.js";

const ED = "2026-11-28-morning-listen01";
const PLAYER = `document.getElementById("player")`;
/** Requests a minute per address and route in this test (the flood goes past it). */
const PER_MINUTE = 25;

let ok = false;
let pg: Awaited<ReturnType<typeof freshPostgres>>;
let db: Db;
let outDir: string;
let doc: EditionDocument;
const replicas: RunningServices[] = [];
const bases: string[] = [];
let browser: Browser;
const bus = uniqueBusNames();
const reader = new sdkMetrics.PeriodicExportingMetricReader({
  exporter: new sdkMetrics.InMemoryMetricExporter(sdkMetrics.AggregationTemporality.CUMULATIVE),
  exportIntervalMillis: 3_600_000,
});


beforeAll(async () => {
  ok = (await need("postgres")) && (await need("nats"));
  if (!ok) return;
  metrics.setGlobalMeterProvider(new sdkMetrics.MeterProvider({ readers: [reader] }));
  pg = await freshPostgres();
  db = pg.db;
  outDir = mkdtempSync(join(tmpdir(), "newsroom-listens-"));
  // A short edition: intro, three stories, outro (about 16 s). Story 2 is long enough that a
  // listener stopped early in it stays in it however late a loaded machine reacts.
  await seedEdition(db, {
    id: ED,
    intro: [{ ms: 1500, rate: 24000 }],
    outro: [{ ms: 1000, rate: 24000 }],
    stories: [
      { id: "s1", rank: 1, status: "voiced", title: "First story", segments: [{ ms: 2500, rate: 24000 }] },
      { id: "s2", rank: 2, status: "voiced", title: "Second story", segments: [{ ms: 8000, rate: 24000 }] },
      { id: "s3", rank: 3, status: "voiced", title: "Third story", segments: [{ ms: 2500, rate: 24000 }] },
    ],
  });
  await seedCalls(db, ED);
  await assembleEdition({ db, config: publisherConfig({ anchors: 1 }), outDir, editionId: ED, reason: "complete" });
  doc = JSON.parse(readFileSync(join(outDir, ED, "edition.json"), "utf8")) as EditionDocument;

  // Two replicas of `newsroom serve site` on one Postgres and one NATS stream, each on a port
  // the system gives it when it listens (a port picked beforehand could be taken meanwhile).
  for (let i = 0; i < 2; i++) {
    const replica = await runServices(servicesNamed(["site"]), {
        config: publisherConfig({ anchors: 1 }),
        env: {
          OUTPUT_DIR: outDir,
          DATABASE_URL: pg.url,
          NATS_URL,
          NATS_STREAM: bus.stream,
          NATS_PREFIX: bus.prefix,
          SITE_PORT: "0",
          SITE_HOST: "127.0.0.1",
          SITE_API_PER_MINUTE: String(PER_MINUTE),
          GRPC_PORT: "0",
          GRPC_HOST: "127.0.0.1",
          LOG_LEVEL: "error",
        },
      });
    replicas.push(replica);
    bases.push(replica.httpUrl!);
  }
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  if (!ok) return;
  await browser?.close();
  for (const r of replicas) await r.stop();
  await deleteStream(bus.stream);
  await pg?.drop();
}, 60_000);


/**
 * Waits until the consumer has handled every beacon the site accepted: each listen.recorded
 * outbox row is published and its idempotency key is processed. What the figures should then be
 * is left to the assertions (a wrong count is not waited for, it fails).
 */
async function consumed(): Promise<void> {
  const end = Date.now() + 120_000;
  for (;;) {
    const rows = await db.selectFrom("outbox").select(["payload", "published_at"]).where("subject", "=", "listen.recorded").execute();
    const keys = rows.map((r) => decodeEvent("listen.recorded", new Uint8Array(r.payload)).meta!.idempotencyKey);
    const processed = keys.length ? await db.selectFrom("processed_events").select("key").where("key", "in", keys).execute() : [];
    const done = new Set(processed.map((p) => p.key));
    if (rows.every((r) => r.published_at !== null) && keys.every((k) => done.has(k))) return;
    if (Date.now() > end) throw new Error(`beacons not consumed: ${keys.filter((k) => !done.has(k)).join(", ")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const isBeacon = (r: Request, event: string, from = 0) => {
  if (!r.url().endsWith("/api/v1/listens") || r.method() !== "POST") return false;
  const body = r.postDataJSON() as { event?: string; position?: number };
  return body.event === event && (body.position ?? 0) >= from;
};

/** Every beacon a page sends; `answered()` waits for all sent so far and gives their statuses. */
function beaconsOf(page: Page): { answered(): Promise<number[]> } {
  const sent: Promise<number>[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/api/v1/listens")) sent.push(r.response().then((res) => res?.status() ?? 0));
  });
  return { answered: () => Promise.all(sent) };
}

async function stats(base = bases[0]): Promise<Record<string, any>> {
  const res = await fetch(`${base}/api/v1/editions/${ED}/stats`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

async function counterSums(): Promise<Record<string, number>> {
  const { resourceMetrics } = await reader.collect();
  const sums: Record<string, number> = {};
  for (const scope of resourceMetrics.scopeMetrics)
    for (const m of scope.metrics) sums[m.descriptor.name] = m.dataPoints.reduce((n, p) => n + (p.value as number), 0);
  return sums;
}

function beacon(body: unknown, opts: { from?: string; raw?: string; type?: string; base?: string } = {}): Promise<Response> {
  return fetch(`${opts.base ?? bases[0]}/api/v1/listens`, {
    method: "POST",
    headers: { "content-type": opts.type ?? "application/json", ...(opts.from ? { "x-forwarded-for": opts.from } : {}) },
    body: opts.raw ?? JSON.stringify(body),
  });
}

async function outboxRows(): Promise<number> {
  return (await db.selectFrom("outbox").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow()).n;
}

describe("the completion rate from the player's beacons", () => {
  it("one listener plays to the end, another stops in story 2: 50% and the drop-off per story", async (ctx) => {
    if (!ok) ctx.skip();
    const [s1, s2, s3] = doc.stories;
    expect(doc.stories.map((s) => s.id)).toEqual(["s1", "s2", "s3"]);

    // Listener A, on replica 1: plays the whole edition (at double speed) to its end.
    const a = await browser.newPage();
    const aBeacons = beaconsOf(a);
    await a.goto(`${bases[0]}/${ED}/`);
    await waitFor(a, `${PLAYER}.readyState >= 1`, 60_000);
    const aCompleted = a.waitForRequest((r) => isBeacon(r, "complete"), { timeout: 120_000 });
    await a.evaluate(`${PLAYER}.playbackRate = 2; ${PLAYER}.play()`);
    await waitFor(a, `${PLAYER}.ended`, 120_000);
    await aCompleted;

    // Listener B, on replica 2: plays from the start and stops early in story 2. The page pauses
    // itself at the first timeupdate past the mark (no round trip from the test to be late).
    const b = await browser.newPage();
    const bBeacons = beaconsOf(b);
    await b.goto(`${bases[1]}/${ED}/`);
    await waitFor(b, `${PLAYER}.readyState >= 1`, 60_000);
    const stopAt = s2.start_ms / 1000 + 1.5;
    const bStopped = b.waitForRequest((r) => isBeacon(r, "progress", stopAt - 0.1), { timeout: 120_000 });
    await b.evaluate(
      `(() => { const p = ${PLAYER}; p.addEventListener("timeupdate", () => { if (p.currentTime >= ${stopAt}) p.pause(); }); p.playbackRate = 2; p.play(); })()`,
    );
    await waitFor(b, `${PLAYER}.paused && ${PLAYER}.currentTime >= ${stopAt}`, 120_000);
    await bStopped;
    const stoppedAt = await b.evaluate<number>(`${PLAYER}.currentTime`);
    expect(stoppedAt * 1000).toBeGreaterThan(s2.start_ms);
    expect(stoppedAt * 1000).toBeLessThan(s2.end_ms - 1000);

    // Every beacon the pages sent has its answer before they close (a pause or ended beacon still
    // in flight would otherwise be counted after the figures are read).
    for (const statuses of [await aBeacons.answered(), await bBeacons.answered()]) expect(statuses.length > 0 && statuses.every((st) => st === 204), String(statuses)).toBe(true);
    await a.close({ runBeforeUnload: true });
    await b.close({ runBeforeUnload: true });
    expect([...(await aBeacons.answered()), ...(await bBeacons.answered())].every((st) => st === 204)).toBe(true);

    await consumed();
    const figures = await stats(bases[1]);
    expect(figures).toMatchObject({ edition: ED, started: 2, completed: 1, completion_rate: 0.5 });
    expect(figures.stories.map((s: Record<string, unknown>) => [s.id, s.reached, s.finished, s.drop_off, s.drop_off_rate])).toEqual([
      [s1.id, 2, 2, 0, 0],
      [s2.id, 2, 1, 1, 0.5],
      [s3.id, 1, 1, 0, 0],
    ]);
    expect(figures.stories[1].start_s).toBeCloseTo(s2.start_ms / 1000, 3);

    // The same figures as OpenTelemetry counters (both replicas' consumers together).
    const sums = await counterSums();
    expect(sums[LISTEN_METRIC_NAMES.started]).toBe(2);
    expect(sums[LISTEN_METRIC_NAMES.completed]).toBe(1);
    expect(sums[LISTEN_METRIC_NAMES.reached]).toBe(5);
    expect(sums[LISTEN_METRIC_NAMES.finished]).toBe(4);

    // No address and no cookie anywhere: sessions are the pages' random ids.
    const sessions = await db.selectFrom("listen_sessions").select(["session", "furthest_ms", "completed"]).where("edition_id", "=", ED).orderBy("furthest_ms").execute();
    expect(sessions).toHaveLength(2);
    for (const s of sessions) expect(s.session).toMatch(/^[0-9a-f]{32}$/);
    expect(sessions[0].completed).toBe(false);
    expect(sessions[0].furthest_ms).toBeGreaterThan(s2.start_ms);
  }, 300_000);

  it("redelivering a beacon changes nothing (sessions count once)", async (ctx) => {
    if (!ok) ctx.skip();
    const before = await stats();
    const session = "replayreplayreplay01";
    for (let i = 0; i < 3; i++) expect((await beacon({ edition: ED, event: "complete", session }, { base: bases[i % 2] })).status).toBe(204);
    await consumed();
    const after = await stats();
    expect([after.started, after.completed]).toEqual([before.started + 1, before.completed + 1]);
    expect(after.stories.map((s: { reached: number }) => s.reached)).toEqual(before.stories.map((s: { reached: number }) => s.reached + 1));
  }, 180_000);

  it("the stats page, linked from the edition page, shows the completion rate and the drop-off per story", async (ctx) => {
    if (!ok) ctx.skip();
    const figures = await stats();
    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on("console", (m) => /Content Security Policy/i.test(m.text()) && cspErrors.push(m.text()));
    await page.goto(`${bases[0]}/${ED}/`);
    await page.click(`a[href="stats"]`);
    await page.waitForURL(`${bases[0]}/${ED}/stats`);
    expect(await page.locator("main").count()).toBe(1);
    expect(await page.locator("#completion").innerText()).toContain(`${Math.round(figures.completion_rate * 1000) / 10}%`);
    const rows = await page.locator("#drop-off tbody tr").allInnerTexts();
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain("Second story");
    expect(rows[1]).toContain(`${Math.round(figures.stories[1].drop_off_rate * 1000) / 10}%`);
    expect(cspErrors).toEqual([]);
    const res = await fetch(`${bases[0]}/${ED}/stats`);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect((await fetch(`${bases[0]}/no-such-edition/stats`)).status).toBe(404);
    await page.close();
  });

  it("refuses bad beacons with 4xx and a JSON reason, and they change nothing", async (ctx) => {
    if (!ok) ctx.skip();
    const before = await stats();
    const rows = await outboxRows();
    const valid = { edition: ED, event: "progress", session: "badbeaconbadbeacon01", position: 3 };
    const cases: [string, Promise<Response>, number][] = [
      ["unknown edition", beacon({ ...valid, edition: "2026-01-01-morning-nope" }), 404],
      ["path in the edition", beacon({ ...valid, edition: "../etc" }), 404],
      ["oversized", beacon({ ...valid, pad: "x".repeat(4000) }), 413],
      ["not JSON", beacon(null, { raw: "{edition:" }), 400],
      ["not JSON as text", beacon(null, { raw: "nope", type: "text/plain" }), 400],
      ["unknown event", beacon({ ...valid, event: "skip" }), 400],
      ["progress without position", beacon({ edition: ED, event: "progress", session: valid.session }), 400],
      ["position past the end", beacon({ ...valid, position: 9_999 }), 400],
      ["negative position", beacon({ ...valid, position: -1 }), 400],
      ["short session", beacon({ ...valid, session: "abc" }), 400],
      ["unknown field", beacon({ ...valid, address: "1.2.3.4" }), 400],
      ["an array", beacon([valid]), 400],
      ["form encoded", beacon(null, { raw: "edition=x", type: "application/x-www-form-urlencoded" }), 415],
    ];
    for (const [name, response, status] of cases) {
      const res = await response;
      expect({ name, status: res.status }).toEqual({ name, status });
      const body = (await res.json()) as { error?: unknown };
      expect({ name, error: typeof body.error }).toEqual({ name, error: "string" });
    }

    // A flood from one address: past the limit every request is 429, even a valid one.
    const flood = "203.0.113.7";
    for (let i = 0; i < PER_MINUTE; i++) await beacon({ edition: ED }, { from: flood });
    const refused = await beacon({ edition: ED, event: "complete", session: "floodfloodflood00001" }, { from: flood });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBeTruthy();
    expect(((await refused.json()) as { error: string }).error).toMatch(/too many requests/);

    await consumed();
    expect(await outboxRows()).toBe(rows);
    expect(await stats()).toEqual(before);

    // The limit is per address: another address is still heard.
    expect((await beacon({ edition: ED, event: "start", session: "otheraddressother001" }, { from: "203.0.113.8" })).status).toBe(204);
    await consumed();
    expect((await stats()).started).toBe(before.started + 1);
  }, 180_000);
});

describe("downloads", () => {
  it("count once per client a day from MP3 requests from the first byte, with no address stored", async (ctx) => {
    if (!ok) ctx.skip();
    const before = (await stats()).downloads as number;
    const mp3 = (base: string, headers: Record<string, string>) => fetch(`${base}/${ED}/edition.mp3`, { headers }).then(async (r) => (await r.arrayBuffer(), r.status));
    const app = { "user-agent": "Overcast/3.0 (+http://overcast.fm/)", "x-forwarded-for": "198.51.100.20" };
    expect(await mp3(bases[0], app)).toBe(200);
    expect(await mp3(bases[1], app)).toBe(200); // the same client on the other replica: not counted again
    expect(await mp3(bases[0], { ...app, range: "bytes=0-1" })).toBe(206);
    expect(await mp3(bases[0], { ...app, "x-forwarded-for": "198.51.100.21", range: "bytes=100-" })).toBe(206); // a seek: not a download
    expect(await mp3(bases[1], { ...app, "user-agent": "AntennaPod/3.4" })).toBe(200); // another client
    expect((await fetch(`${bases[0]}/${ED}/edition.mp3`, { method: "HEAD", headers: { "x-forwarded-for": "198.51.100.22" } })).status).toBe(200); // HEAD: not a download

    const counted = async () => (await db.selectFrom("listen_editions").select("downloads").where("edition_id", "=", ED).executeTakeFirstOrThrow()).downloads;
    const end = Date.now() + 20_000;
    while ((await counted()) < before + 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    expect((await stats()).downloads).toBe(before + 2);

    const stored = JSON.stringify(await db.selectFrom("listen_downloads").selectAll().execute());
    expect(stored).not.toMatch(/198\.51\.100|127\.0\.0\.1|Overcast/);
    const salts = await db.selectFrom("download_salts").select("day").execute();
    expect(salts.map((s) => s.day)).toEqual([new Date().toISOString().slice(0, 10)]);
  });
});
