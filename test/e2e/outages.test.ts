// The database or NATS goes away under a running service (a TCP proxy in front of the real
// servers is cut): the service stays up, says NOT_SERVING on its gRPC health service, logs one
// line when the outage starts and one when it ends (not one per attempt), and resumes on its own:
// an edition requested while NATS was away is picked up once it is back.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHealth } from "@newsroom/platform/grpc/health-client";
import { loadConfigFile } from "@newsroom/platform/config/load";
import { requestEdition } from "@newsroom/ingest/editions/request";
import { createLogger } from "@newsroom/platform/log";
import { runServices, type RunningServices } from "@newsroom/platform/service/run";
import { SERVICES } from "@newsroom/cli/services";
import { freshPostgres, NATS_URL, need, PG_ADMIN_URL, uniqueBusNames } from "../support/services.js";
import { offlineConfigYaml, writeFreshFeeds } from "../support/fresh-feeds.js";
import { startTcpProxyTo, viaProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { deleteStream, waitFor } from "../bus/harness.js";

describe("a dependency goes away under a running service", () => {
  let ok = false;
  let pg: Awaited<ReturnType<typeof freshPostgres>>;
  let pgProxy: TcpProxy;
  let natsProxy: TcpProxy;
  let running: RunningServices | undefined;
  let configFile: string;
  const bus = uniqueBusNames();
  const lines: string[] = [];

  beforeAll(async () => {
    ok = (await need("postgres")) && (await need("nats"));
    if (!ok) return;
    pg = await freshPostgres();
    pgProxy = await startTcpProxyTo(PG_ADMIN_URL);
    natsProxy = await startTcpProxyTo(NATS_URL);
    const dir = mkdtempSync(join(tmpdir(), "newsroom-outage-"));
    configFile = join(dir, "newsroom.yaml");
    writeFileSync(configFile, offlineConfigYaml(writeFreshFeeds(join(dir, "feeds"), new Date()), { stories: 2 }));
    const env = {
      DATABASE_URL: viaProxy(pg.url, pgProxy),
      NATS_URL: viaProxy(NATS_URL, natsProxy),
      NATS_STREAM: bus.stream,
      NATS_PREFIX: bus.prefix,
      NEWSROOM_CONFIG: configFile,
      OUTPUT_DIR: join(dir, "out"),
      GRPC_PORT: "0",
      GRPC_HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      SHUTDOWN_TIMEOUT_MS: "5000",
    };
    const ingest = SERVICES.find((s) => s.name === "ingest")!;
    running = await runServices([ingest], { env, log: createLogger("ingest", (l) => lines.push(l), env) });
  }, 120_000);

  afterAll(async () => {
    if (!ok) return;
    await running?.stop();
    await pgProxy?.close();
    await natsProxy?.close();
    await deleteStream(bus.stream);
    await pg?.drop();
  }, 60_000);

  const health = () => checkHealth(`127.0.0.1:${running!.grpcPort}`, { timeoutMs: 2_000 }).catch(() => "UNREACHABLE");
  const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("the database: NOT_SERVING while away, one line each way, SERVING again", async (ctx) => {
    if (!ok) ctx.skip();
    expect(await health()).toBe("SERVING");
    pgProxy.cut();
    await waitFor("NOT_SERVING", async () => (await health()) === "NOT_SERVING", 30_000);
    // Several checks fail while it stays away; still one line.
    await sleep(4_000);
    pgProxy.restore();
    await waitFor("SERVING again", async () => (await health()) === "SERVING", 30_000);
    expect(count(/database at .* is away/), lines.join("\n")).toBe(1);
    expect(count(/database at .* is back after/), lines.join("\n")).toBe(1);
  }, 90_000);

  it("NATS: an edition requested while it is away is taken up once it is back", async (ctx) => {
    if (!ok) ctx.skip();
    const from = lines.length;
    natsProxy.cut();
    await waitFor("NOT_SERVING", async () => (await health()) === "NOT_SERVING", 30_000);
    const { db } = pg;
    const { editionId } = await requestEdition({ db, config: loadConfigFile(configFile), slot: "morning", onCommitted: running!.deps.nudgeOutbox });
    await sleep(3_000);
    expect((await db.selectFrom("outbox").select("id").where("published_at", "is", null).execute()).length).toBeGreaterThan(0);
    natsProxy.restore();
    await waitFor("SERVING again", async () => (await health()) === "SERVING", 30_000);
    // Ingest consumed edition.requested after NATS came back: the edition moved on.
    await waitFor(
      "the edition taken up",
      async () => (await db.selectFrom("editions").select("status").where("id", "=", editionId).executeTakeFirstOrThrow()).status !== "requested",
      60_000,
    );
    expect(count(/NATS at .* is away/), lines.join("\n")).toBe(1);
    expect(count(/NATS at .* is back after/), lines.join("\n")).toBe(1);
    // The relay's failed passes through this outage: one line at most.
    expect(lines.slice(from).filter((l) => /outbox relay pass failed/.test(l)).length, lines.join("\n")).toBeLessThanOrEqual(1);
  }, 120_000);
});
