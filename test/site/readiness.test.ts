// A site replica's readiness follows its database and NATS (a TCP proxy in front of each real
// server is cut): /readyz answers 503 naming what is away while /healthz stays 200, the files
// keep being served (listening does not need the database), and the listener API answers 503
// with a JSON reason instead of failing; all comes back on its own.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runServices, type RunningServices } from "@newsroom/platform/service/run";
import { openDatabase, type Db } from "@newsroom/platform/db/connect";
import { servicesNamed } from "@newsroom/cli/services";
import { buildSite } from "@newsroom/site/site";
import { freshPostgres, NATS_URL, need, PG_ADMIN_URL, uniqueBusNames } from "../support/services.js";
import { startTcpProxyTo, viaProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { deleteStream, waitFor } from "../bus/harness.js";
import { publisherConfig } from "../publisher/seed.js";

const ED = "2026-12-01-morning-ready01";
const PAGE = "<!doctype html><title>an edition</title>";
const BEACON = { edition: ED, event: "start", session: "readinessreadiness01", position: 0 };

let ok = false;
let pg: Awaited<ReturnType<typeof freshPostgres>>;
let pgProxy: TcpProxy;
let natsProxy: TcpProxy;
let running: RunningServices | undefined;
let base: string;
let outDir: string;
const bus = uniqueBusNames();

beforeAll(async () => {
  ok = (await need("postgres")) && (await need("nats"));
  if (!ok) return;
  pg = await freshPostgres();
  pgProxy = await startTcpProxyTo(PG_ADMIN_URL);
  natsProxy = await startTcpProxyTo(NATS_URL);
  outDir = mkdtempSync(join(tmpdir(), "newsroom-readiness-"));
  mkdirSync(join(outDir, ED));
  writeFileSync(join(outDir, ED, "index.html"), PAGE);
  running = await runServices(servicesNamed(["site"]), {
    config: publisherConfig({ anchors: 1 }),
    env: {
      OUTPUT_DIR: outDir,
      DATABASE_URL: viaProxy(pg.url, pgProxy),
      NATS_URL: viaProxy(NATS_URL, natsProxy),
      NATS_STREAM: bus.stream,
      NATS_PREFIX: bus.prefix,
      SITE_PORT: "0",
      SITE_HOST: "127.0.0.1",
      LOG_LEVEL: "error",
      SHUTDOWN_TIMEOUT_MS: "5000",
    },
  });
  base = running.httpUrl!;
}, 120_000);

afterAll(async () => {
  if (!ok) return;
  pgProxy?.restore();
  natsProxy?.restore();
  await running?.stop();
  await pgProxy?.close();
  await natsProxy?.close();
  await deleteStream(bus.stream);
  await pg?.drop();
}, 60_000);

const status = async (path: string) => (await fetch(`${base}${path}`)).status;
const beacon = () => fetch(`${base}/api/v1/listens`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(BEACON) });

describe("site readiness", () => {
  it("the database away: /readyz 503 naming it, /healthz 200, files served, the API 503 with a JSON reason; then ready again", async (ctx) => {
    if (!ok) ctx.skip();
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ ready: true });
    // No edition.json: an edition the API does not know, answered by the API (not by an outage).
    expect((await beacon()).status).toBe(404);

    pgProxy.cut();
    await waitFor("/readyz to say not ready", async () => (await status("/readyz")) === 503, 30_000);
    const ready = await fetch(`${base}/readyz`);
    expect(await ready.json()).toMatchObject({ ready: false, away: ["database"] });
    expect(await status("/healthz")).toBe(200);
    const page = await fetch(`${base}/${ED}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(PAGE);
    for (const res of [await beacon(), await fetch(`${base}/api/v1/editions/${ED}/stats`), await fetch(`${base}/${ED}/stats`)]) {
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBeTruthy();
      expect(((await res.json()) as { error: string }).error).toMatch(/database is unavailable/);
    }

    pgProxy.restore();
    await waitFor("/readyz to say ready", async () => (await status("/readyz")) === 200, 30_000);
    expect((await beacon()).status).toBe(404);
  }, 90_000);

  it("NATS away: not ready (the consumer and the relay need it) while the API still takes requests", async (ctx) => {
    if (!ok) ctx.skip();
    natsProxy.cut();
    await waitFor("/readyz to say not ready", async () => (await status("/readyz")) === 503, 30_000);
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ ready: false, away: ["NATS"] });
    expect(await status(`/${ED}/`)).toBe(200);
    // Beacons go to the outbox in the database: still answered by the API.
    expect((await beacon()).status).toBe(404);
    natsProxy.restore();
    await waitFor("/readyz to say ready", async () => (await status("/readyz")) === 200, 30_000);
  }, 90_000);

  it("a database failure the watch has not seen yet is a 503 with a reason, never a 500", async (ctx) => {
    if (!ok) ctx.skip();
    const proxy = await startTcpProxyTo(PG_ADMIN_URL);
    const db: Db = await openDatabase({ url: viaProxy(pg.url, proxy) });
    writeFileSync(join(outDir, ED, "edition.json"), JSON.stringify({ id: ED, title: "An edition", language: "en", duration_ms: 10_000, stories: [] }));
    // The dependency watch says all is well: only the failing query tells.
    const app = await buildSite({ root: outDir, listens: { db, nudgeOutbox: () => {}, perMinute: 100 }, away: () => [] });
    try {
      proxy.cut();
      const res = await app.inject({ method: "GET", url: `/api/v1/editions/${ED}/stats` });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: expect.stringMatching(/database is unavailable/) });
    } finally {
      await app.close();
      await db.destroy().catch(() => {});
      await proxy.close();
    }
  }, 60_000);
});
