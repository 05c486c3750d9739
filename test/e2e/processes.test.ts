// The five services as separate OS processes on the real NATS and Postgres: an edition goes
// from RunEdition to published, one trace covers all five processes, the approvals match the
// same edition made in one process on the embedded default, and a voice process killed with
// SIGKILL mid-edition loses nothing.
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { NewsroomServiceClient } from "@newsroom/proto/newsroom";
import { Slot } from "@newsroom/proto/events";
import { grpcClientArgs } from "@newsroom/platform/grpc/client";
import { loadConfigFile } from "@newsroom/platform/config/load";
import { requestEdition } from "@newsroom/ingest/editions/request";
import { runServices } from "@newsroom/platform/service/run";
import type { Db } from "@newsroom/platform/db/connect";
import { SERVICES } from "@newsroom/cli/services";
import { PIPELINE_SERVICES } from "@newsroom/platform/newsroom";
import { freshPostgres, need, NATS_URL, uniqueBusNames } from "../support/services.js";
import { offlineConfigYaml, writeFreshFeeds } from "../support/fresh-feeds.js";
import { startService, stopService, type ServiceProcess } from "../support/processes.js";
import { startOtlpReceiver, type OtlpReceiver } from "../fakes/otlp-receiver.js";

const NAMES = PIPELINE_SERVICES;
const NOW = new Date();

let ok = false;
let pg: Awaited<ReturnType<typeof freshPostgres>>;
let otlp: OtlpReceiver;
let bus: ReturnType<typeof uniqueBusNames>;
let dir: string;
let configFile: string;
let env: NodeJS.ProcessEnv;
const procs = new Map<string, ServiceProcess>();

beforeAll(async () => {
  ok = (await need("postgres")) && (await need("nats"));
  if (!ok) return;
  pg = await freshPostgres();
  otlp = await startOtlpReceiver();
  bus = uniqueBusNames();
  dir = mkdtempSync(join(tmpdir(), "newsroom-e2e-"));
  configFile = join(dir, "newsroom.yaml");
  writeFileSync(configFile, offlineConfigYaml(writeFreshFeeds(join(dir, "feeds"), NOW)));
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NEWSROOM_CONFIG: configFile,
    DATABASE_URL: pg.url,
    NATS_URL,
    NATS_STREAM: bus.stream,
    NATS_PREFIX: bus.prefix,
    OUTPUT_DIR: join(dir, "out"),
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
    OTEL_BSP_SCHEDULE_DELAY: "200",
    LOG_LEVEL: "info",
  };
  const started = await Promise.all(NAMES.map((n) => startService(n, { ...env, OTEL_SERVICE_NAME: `newsroom-${n}` })));
  for (const p of started) procs.set(p.name, p);
}, 180_000);

afterAll(async () => {
  if (!ok) return;
  await Promise.all([...procs.values()].map((p) => stopService(p)));
  await otlp?.close();
  const nc = await connect({ servers: NATS_URL });
  await (await jetstreamManager(nc)).streams.delete(bus.stream).catch(() => {});
  await nc.close();
  await pg?.drop();
}, 60_000);

function traceIdOf(traceparent: string | undefined): string {
  expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  return traceparent!.split("-")[1];
}

async function runEdition(): Promise<string> {
  const client = new NewsroomServiceClient(`127.0.0.1:${procs.get("ingest")!.port}`, ...grpcClientArgs({}));
  try {
    const res = await new Promise<{ edition?: { editionId: string } }>((resolve, reject) =>
      client.runEdition({ slot: Slot.SLOT_MORNING, now: NOW }, (err, r) => (err ? reject(err) : resolve(r))),
    );
    return res.edition!.editionId;
  } finally {
    client.close();
  }
}

async function waitPublished(db: Db, editionId: string, timeoutMs: number, onTick?: () => Promise<void>): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const row = await db.selectFrom("editions").select("status").where("id", "=", editionId).executeTakeFirst();
    if (row?.status === "published") return;
    if (row?.status === "failed") throw new Error(`edition ${editionId} failed`);
    await onTick?.();
    await new Promise((r) => setTimeout(r, 300));
  }
  const logs = [...procs.values()].map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`).join("\n");
  throw new Error(`edition ${editionId} not published in ${timeoutMs} ms\n${logs}`);
}

/** What the newsroom decided, independent of ids: per selected story, its title, rank, status and approved text. */
async function decisions(db: Db, editionId: string) {
  const stories = await db
    .selectFrom("stories")
    .select(["id", "title", "rank", "status"])
    .where("edition_id", "=", editionId)
    .where("rank", "is not", null)
    .orderBy("rank")
    .execute();
  const out = [];
  for (const s of stories) {
    const script = await db
      .selectFrom("scripts")
      .select(["lines", "version"])
      .where("story_id", "=", s.id)
      .orderBy("version", "desc")
      .executeTakeFirst();
    out.push({ title: s.title, rank: s.rank, status: s.status, lines: script?.lines });
  }
  return out;
}

describe("five service processes on NATS and Postgres", () => {
  let editionId = "";

  it("make an edition; each story is one trace across all five processes", async () => {
    if (!ok) return;
    editionId = await runEdition();
    await waitPublished(pg.db, editionId, 180_000);

    const edition = await pg.db.selectFrom("editions").selectAll().where("id", "=", editionId).executeTakeFirstOrThrow();
    expect(edition.location).toBeTruthy();
    for (const f of ["edition.mp3", "transcript.vtt", "chapters.json", "edition.json", "index.html"]) expect(existsSync(join(edition.location!, f))).toBe(true);

    const voiced = await pg.db.selectFrom("stories").select(["id", "status"]).where("edition_id", "=", editionId).where("rank", "is not", null).execute();
    expect(voiced.length).toBeGreaterThanOrEqual(3);
    expect(voiced.every((s) => s.status === "voiced")).toBe(true);

    // No approved script carries the hostile source's instruction or link.
    const scripts = await pg.db.selectFrom("scripts").select("lines").where("edition_id", "=", editionId).execute();
    const spoken = JSON.stringify(scripts.map((s) => s.lines));
    expect(spoken).not.toMatch(/scam\.example|ignore all previous instructions/i);

    // The edition's trace starts at RunEdition and travels in the outbox row's headers.
    const requested = await pg.db.selectFrom("outbox").select("headers").where("subject", "=", "edition.requested").executeTakeFirstOrThrow();
    const editionTrace = traceIdOf((requested.headers as unknown as Record<string, string>).traceparent);
    // Each story has a trace of its own, started at ingest and linked to the edition's;
    // every event about the story travels in it, so it covers all five processes.
    const story = await pg.db.selectFrom("stories").select("trace_context").where("edition_id", "=", editionId).where("rank", "=", 1).executeTakeFirstOrThrow();
    const storyTrace = traceIdOf(story.trace_context!.traceparent);
    expect(storyTrace).not.toBe(editionTrace);
    const servicesIn = (traceId: string) => new Set(otlp.spans().filter((s) => s.traceId === traceId).map((s) => s.serviceName));
    await otlp.waitFor(() => servicesIn(storyTrace).size === 5, 30_000).catch(() => {});
    expect([...servicesIn(storyTrace)].sort()).toEqual(NAMES.map((n) => `newsroom-${n}`).sort());
    const root = otlp.spans().find((s) => s.traceId === storyTrace && s.name === "story");
    expect(root?.attributes["newsroom.edition.id"]).toBe(editionId);
    expect(servicesIn(editionTrace).has("newsroom-ingest")).toBe(true);
    const processSpans = otlp.spans().filter((s) => s.traceId === storyTrace && s.name.startsWith("process "));
    expect(processSpans.length).toBeGreaterThanOrEqual(4);
    expect(processSpans.every((s) => s.attributes["messaging.system"] === "nats")).toBe(true);
  }, 240_000);

  it("reach the same approvals as one process on the embedded default", async () => {
    if (!ok || !editionId) return;
    const config = loadConfigFile(configFile);
    const running = await runServices(SERVICES, {
      embedded: true,
      config,
      env: { DATA_DIR: "memory://", OUTPUT_DIR: join(dir, "embedded-out"), GRPC_PORT: "0", GRPC_HOST: "127.0.0.1", LOG_LEVEL: "warn" },
    });
    try {
      const { editionId: embeddedId } = await requestEdition({ db: running.deps.db, config, slot: "morning", now: NOW, onCommitted: running.deps.nudgeOutbox });
      await waitPublished(running.deps.db, embeddedId, 180_000);
      expect(await decisions(running.deps.db, embeddedId)).toEqual(await decisions(pg.db, editionId));
    } finally {
      await running.stop();
    }
  }, 240_000);

  it("finish an edition after the voice process is killed mid-edition, voicing nothing twice", async () => {
    if (!ok) return;
    const id = await runEdition();
    let killed = false;
    await waitPublished(pg.db, id, 240_000, async () => {
      if (killed) return;
      const calls = await pg.db.selectFrom("model_calls").select("id").where("edition_id", "=", id).where("kind", "=", "tts").execute();
      if (calls.length === 0) return;
      // Voicing has begun: kill voice without warning, then start a new one.
      killed = true;
      const voice = procs.get("voice")!;
      voice.child.kill("SIGKILL");
      await voice.exited;
      procs.set("voice", await startService("voice", { ...env, OTEL_SERVICE_NAME: "newsroom-voice" }));
    });
    expect(killed).toBe(true);

    const stories = await pg.db.selectFrom("stories").select(["id", "status"]).where("edition_id", "=", id).where("rank", "is not", null).execute();
    expect(stories.every((s) => s.status === "voiced")).toBe(true);
    // Exactly one segment set per approved script: one row per (script, line), none twice.
    const scripts = await pg.db.selectFrom("scripts").select(["id", "lines"]).where("edition_id", "=", id).execute();
    const segments = await pg.db.selectFrom("segments").select(["script_id", "seq"]).where("edition_id", "=", id).execute();
    const voicedScripts = new Set(segments.map((s) => s.script_id));
    for (const s of scripts.filter((x) => voicedScripts.has(x.id))) {
      const seqs = segments.filter((g) => g.script_id === s.id).map((g) => g.seq).sort((a, b) => a - b);
      expect(seqs).toEqual([...seqs.keys()]);
    }
    const published = await pg.db.selectFrom("outbox").select("id").where("subject", "=", "edition.published").execute();
    expect(published.length).toBe(2);
  }, 300_000);

  it("stop gracefully on SIGTERM: drain, close, exit 0 within the bound", async () => {
    if (!ok) return;
    for (const name of NAMES) {
      const proc = procs.get(name)!;
      // stopService sends SIGKILL after 30 s: a process that overruns its bound exits with null, not 0.
      const code = await stopService(proc, 30_000);
      expect(code, `${name}:\n${proc.output().slice(-2000)}`).toBe(0);
      expect(proc.output()).toMatch(/shutting down \(SIGTERM\)[\s\S]*stopped/);
    }
  }, 200_000);
});
