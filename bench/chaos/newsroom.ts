// A whole newsroom for the chaos and soak runs: a NATS and a Postgres of its own (so they may be
// killed), the five services as separate processes on fixed ports (so a restarted one comes back
// where it was), an offline config on fresh sample feeds (or model roles on a test vendor), and editions requested and awaited.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigFile } from "@newsroom/platform/config/load";
import { migrate, openDatabase, type Db } from "@newsroom/platform/db/connect";
import { requestEdition } from "@newsroom/ingest/editions/request";
import { checkHealth } from "@newsroom/platform/grpc/health-client";
import { offlineConfigYaml, writeFreshFeeds } from "../../test/support/fresh-feeds.js";
import { VENDOR_KEYS, vendorConfigYaml, writeDistinctStories } from "../../test/support/vendor-edition.js";
import { freePort, startService, stopService, type ServiceProcess } from "../../test/support/processes.js";
import { startOwnNats, startOwnPostgres, type OwnNats, type OwnPostgres } from "./servers.js";

export const SERVICE_NAMES = ["ingest", "editor", "factcheck", "voice", "publisher"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const START_TIMEOUT_MS = 300_000;

export interface Newsroom {
  db: Db;
  nats: OwnNats;
  postgres: OwnPostgres;
  process(name: ServiceName): ServiceProcess;
  /** SIGKILL, then start again on the same port (resolves once it is SERVING). */
  killAndRestart(name: ServiceName): Promise<void>;
  /** Resolves once all five answer SERVING on their health service. */
  untilServing(timeoutMs?: number): Promise<void>;
  /** Requests an edition, runs `during` alongside, and resolves with its id and wall time once published. */
  edition(during?: (editionId: string, startedAt: number) => Promise<void>): Promise<{ id: string; wallMs: number }>;
  /** The last lines of every service's output, for failure messages. */
  outputs(): string;
  close(): Promise<void>;
}

export interface NewsroomOptions {
  stories: number;
  editionTimeoutMs?: number;
  /** Model roles on this test vendor (bench/edition/vendor-process.ts) instead of the offline models. */
  vendor?: { url: string; prefix: string };
}

export async function startNewsroom(opts: NewsroomOptions): Promise<Newsroom> {
  const editionTimeoutMs = opts.editionTimeoutMs ?? 10 * 60_000;
  const nats = await startOwnNats();
  const postgres = await startOwnPostgres().catch(async (err) => {
    await nats.close();
    throw err;
  });
  const dir = mkdtempSync(join(tmpdir(), "newsroom-bench-"));
  const procs = new Map<string, ServiceProcess>();
  const db = await openDatabase({ url: postgres.url, poolSize: 3 });
  const close = async () => {
    await Promise.all([...procs.values()].map((p) => stopService(p, 10_000).catch(() => {})));
    await db.destroy().catch(() => {});
    await nats.close();
    await postgres.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const now = new Date();
  const configFile = join(dir, "newsroom.yaml");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NEWSROOM_CONFIG: configFile,
    DATABASE_URL: postgres.url,
    NATS_URL: nats.url,
    OUTPUT_DIR: join(dir, "out"),
    LOG_LEVEL: "warn",
    SHUTDOWN_TIMEOUT_MS: "5000",
    ...(opts.vendor ? VENDOR_KEYS : {}),
  };
  const ports = new Map<string, number>();
  let config;
  try {
    await migrate(db);
    const feeds = join(dir, "feeds");
    const yaml = opts.vendor
      ? vendorConfigYaml({ feed: writeDistinctStories(feeds, now, opts.stories), ...opts.vendor, stories: opts.stories })
      : offlineConfigYaml(writeFreshFeeds(feeds, now), { stories: opts.stories });
    writeFileSync(configFile, yaml);
    config = loadConfigFile(configFile);
    for (const name of SERVICE_NAMES) ports.set(name, await freePort());
    // Together, each with a generous health wait (five cold starts at once on a small machine are slow).
    const started = await Promise.allSettled(SERVICE_NAMES.map((n) => startService(n, env, ports.get(n), START_TIMEOUT_MS)));
    for (const r of started) if (r.status === "fulfilled") procs.set(r.value.name, r.value);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  } catch (err) {
    await close();
    throw err;
  }

  const outputs = () => [...procs.values()].map((p) => `--- ${p.name}\n${p.output().slice(-2000)}`).join("\n");
  const allServing = async () => {
    const states = await Promise.all(SERVICE_NAMES.map((n) => checkHealth(`127.0.0.1:${ports.get(n)}`, { timeoutMs: 1_000 }).catch(() => "DOWN")));
    return states.every((s) => s === "SERVING");
  };

  return {
    db,
    nats,
    postgres,
    process: (name) => procs.get(name)!,
    async killAndRestart(name) {
      const proc = procs.get(name)!;
      proc.child.kill("SIGKILL");
      await proc.exited;
      procs.set(name, await startService(name, env, ports.get(name), START_TIMEOUT_MS));
    },
    async untilServing(timeoutMs = 120_000) {
      const until = Date.now() + timeoutMs;
      while (!(await allServing())) {
        if (Date.now() > until) throw new Error(`services not SERVING after ${timeoutMs} ms:\n${outputs()}`);
        await sleep(200);
      }
    },
    async edition(during) {
      const startedAt = Date.now();
      const { editionId } = await requestEdition({ db, config, slot: "morning", now });
      // A failure alongside (a fault that never recovers) ends the wait at once.
      const disturbance: { failed: boolean; error?: unknown } = { failed: false };
      const disturbing = during?.(editionId, startedAt).catch((error: unknown) => Object.assign(disturbance, { failed: true, error }));
      for (;;) {
        if (disturbance.failed) throw disturbance.error;
        // Postgres may be down for a moment (chaos): a failed look is just another look.
        const row = await db.selectFrom("editions").select("status").where("id", "=", editionId).executeTakeFirst().catch(() => undefined);
        if (row?.status === "published") break;
        if (row?.status === "failed") throw new Error(`edition ${editionId} failed:\n${outputs()}`);
        if (Date.now() > startedAt + editionTimeoutMs) throw new Error(`edition ${editionId} not published in ${editionTimeoutMs} ms:\n${outputs()}`);
        await sleep(300);
      }
      const wallMs = Date.now() - startedAt;
      await disturbing;
      if (disturbance.failed) throw disturbance.error;
      return { id: editionId, wallMs };
    },
    outputs,
    close,
  };
}
