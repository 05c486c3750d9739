// `newsroom request` follows an edition through a restart of the ingest service that serves the
// Newsroom API: it says it lost the watch, reconnects, prints no line twice and ends published.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runServices, type RunningServices } from "@newsroom/platform/service/run";
import { SERVICES } from "@newsroom/cli/services";
import { freshPostgres, NATS_URL, need, uniqueBusNames } from "../support/services.js";
import { offlineConfigYaml, writeFreshFeeds } from "../support/fresh-feeds.js";
import { CLI, freePort } from "../support/processes.js";
import { deleteStream, waitFor } from "../bus/harness.js";
import { createLogger } from "@newsroom/platform/log";

const ROOT = new URL("../..", import.meta.url).pathname;

describe("newsroom request --watch", () => {
  let ok = false;
  let pg: Awaited<ReturnType<typeof freshPostgres>>;
  let others: RunningServices | undefined;
  let ingest: RunningServices | undefined;
  let env: NodeJS.ProcessEnv;
  const bus = uniqueBusNames();
  const ingestSpec = SERVICES.find((s) => s.name === "ingest")!;
  const quiet = createLogger("test", () => {});

  beforeAll(async () => {
    ok = (await need("postgres")) && (await need("nats"));
    if (!ok) return;
    pg = await freshPostgres();
    const dir = mkdtempSync(join(tmpdir(), "newsroom-request-"));
    const configFile = join(dir, "newsroom.yaml");
    writeFileSync(configFile, offlineConfigYaml(writeFreshFeeds(join(dir, "feeds"), new Date()), { stories: 2 }));
    env = {
      DATABASE_URL: pg.url,
      NATS_URL,
      NATS_STREAM: bus.stream,
      NATS_PREFIX: bus.prefix,
      NEWSROOM_CONFIG: configFile,
      OUTPUT_DIR: join(dir, "out"),
      GRPC_HOST: "127.0.0.1",
      SHUTDOWN_TIMEOUT_MS: "3000",
    };
    others = await runServices(SERVICES.filter((s) => s !== ingestSpec), { env: { ...env, GRPC_PORT: "0" }, log: quiet });
  }, 120_000);

  afterAll(async () => {
    if (!ok) return;
    await ingest?.stop();
    await others?.stop();
    await deleteStream(bus.stream);
    await pg?.drop();
  }, 60_000);

  it("survives a restart of the ingest service it watches through", async (ctx) => {
    if (!ok) ctx.skip();
    const port = await freePort();
    const ingestEnv = { ...env, GRPC_PORT: String(port) };
    ingest = await runServices([ingestSpec], { env: ingestEnv, log: quiet });

    const child = spawn(process.execPath, [CLI, "request", "--server", `127.0.0.1:${port}`, "--slot", "morning"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    try {
      await waitFor("the edition requested and followed", () => /requested\n.+\n/.test(out), 60_000);
      await ingest.stop("restart");
      ingest = await runServices([ingestSpec], { env: ingestEnv, log: quiet });
      const code = await exited;
      expect(code, out).toBe(0);
      expect(out).toMatch(/lost the watch on 127\.0\.0\.1:\d+ .*; reconnecting/);
      const lines = out.trim().split("\n");
      expect(lines.at(-1)).toMatch(/edition is published/);
      // Every progress line once: as many event lines as the edition has events, each status once.
      const id = out.match(/edition (\S+) requested/)![1];
      const events = await pg.db.selectFrom("edition_events").select("id").where("edition_id", "=", id).execute();
      const statuses = lines.filter((l) => /edition is \w+$/.test(l)).map((l) => l.replace(/^\S+\s+/, ""));
      const eventLines = lines.filter((l) => /^\d\d:\d\d:\d\d /.test(l) && !/edition is \w+$/.test(l));
      expect(new Set(statuses).size, out).toBe(statuses.length);
      expect(eventLines.length, out).toBe(events.length);
    } finally {
      child.kill("SIGKILL");
    }
  }, 240_000);
});
