// Shared set-up for the router tests: a config built through the real loader that points at
// the fake OpenAI server, a router whose logs and retry waits are captured, spans kept in
// memory, and two small tasks (a prose script and a structured review).
import { randomUUID } from "node:crypto";
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll } from "vitest";
import { z } from "zod";
import { parseConfig, type LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import { ledgerFor } from "@newsroom/platform/ledger/ledger";
import { createLogger } from "@newsroom/platform/log";
import { dataBlock, withDataRule } from "@newsroom/platform/router/prompt";
import { createRouter, type RouterOptions } from "@newsroom/platform/router/router";
import type { StructuredTask, TextTask } from "@newsroom/platform/router/types";
import pg from "pg";
import { startFakeOpenAI, type FakeOpenAI } from "../fakes/openai-server.js";
import { freshPglite, freshPostgres, need, PG_ADMIN_URL } from "../support/services.js";

export const KEYS = { ALPHA_KEY: "sk-PLANTED-alpha-7f3a9c1e5b", BETA_KEY: "sk-PLANTED-beta-2d8e4f6a0c" };

export interface ProviderOverrides {
  [name: string]: Record<string, unknown>;
}

/** Providers alpha (us), beta (cn) on the fake server, and the embedded offline one. */
export function makeConfig(url: string, roles: Record<string, string[]>, extra: { providers?: ProviderOverrides; top?: Record<string, unknown> } = {}): LoadedConfig {
  const provider = (camp: string, key: string) => ({
    camp,
    base_url: url,
    api_key_env: key,
    prices: { input_per_mtok: 1, output_per_mtok: 4 },
    timeout_ms: 3000,
    max_retries: 2,
  });
  const providers: Record<string, unknown> = {
    alpha: { ...provider("us", "ALPHA_KEY"), ...extra.providers?.alpha },
    beta: { ...provider("cn", "BETA_KEY"), ...extra.providers?.beta },
    offline: { kind: "offline", camp: "local", ...extra.providers?.offline },
  };
  for (const [name, p] of Object.entries(extra.providers ?? {})) if (!(name in providers)) providers[name] = p;
  const chain = roles.default ?? ["alpha/a", "beta/b"];
  const reviewers = [...chain].reverse();
  const doc = {
    feeds: [{ url: "http://127.0.0.1:9/feed.xml" }],
    providers,
    roles: { fact_checker: reviewers, cross_reviewer: reviewers, freshness_judge: reviewers, deputy_editor: reviewers, ...roles, default: chain },
    ...extra.top,
  };
  return parseConfig(JSON.stringify(doc), "/tmp/router-test.yaml", KEYS);
}

export interface RouterHarness {
  fake: FakeOpenAI;
  db: Db;
  /** The ledger rows of one edition, in the order they were written. */
  rowsOf(editionId: string): ReturnType<typeof ledgerRows>;
}

/** The fake provider and the ledger database of one test file, started in beforeAll (30 s). */
export function routerHarness(): RouterHarness {
  const h = { rowsOf: (editionId: string) => ledgerRows(h.db, editionId) } as RouterHarness;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    h.fake = await startFakeOpenAI();
    ({ db: h.db, drop } = await ledgerDb());
  }, 30_000);
  afterAll(async () => {
    await h.fake?.close();
    await drop?.();
  });
  return h;
}

async function ledgerRows(db: Db, editionId: string) {
  // Rows are written behind: what was recorded so far goes in first.
  await ledgerFor(db).flush();
  return db.selectFrom("model_calls").selectAll().where("edition_id", "=", editionId).orderBy("id").execute();
}

/** A migrated database for the ledger: a fresh Postgres database when the server is there
 * (quick to start even on a busy machine), in-memory PGlite otherwise. */
export async function ledgerDb(): Promise<{ db: Db; drop(): Promise<void> }> {
  if (await need("postgres")) return postgresLedger();
  const db = await freshPglite();
  return { db, drop: () => db.destroy() };
}

/** freshPostgres, dropped only once its connections are really gone. */
export async function postgresLedger(): Promise<{ db: Db; drop(): Promise<void> }> {
  const fresh = await freshPostgres();
  return {
    db: fresh.db,
    async drop() {
      await fresh.db.destroy();
      // DROP ... WITH (FORCE) kills backends still closing, and pg reports that as an uncaught error.
      await backendsGone(new URL(fresh.url).pathname.slice(1));
      await fresh.drop();
    },
  };
}

async function backendsGone(database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query("select count(*)::int as n from pg_stat_activity where datname = $1", [database]);
      if (rows[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await admin.end();
  }
}

export function captureLog() {
  const lines: string[] = [];
  return { lines, log: createLogger("router-test", (l) => lines.push(l)) };
}

/** A sleep that records the delays asked for instead of waiting them out. */
export function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

export function testRouter(config: LoadedConfig, db: Db, opts: Partial<RouterOptions> = {}) {
  const log = captureLog();
  const sleep = recordingSleep();
  const router = createRouter({ config, db, env: { ...KEYS }, log: log.log, sleep: sleep.sleep, ...opts });
  return { router, logLines: log.lines, delays: sleep.delays };
}

let exporter: InMemorySpanExporter | undefined;
/** Spans of this test file, kept in memory (registered once as the global tracer provider). */
export function memorySpans(): InMemorySpanExporter {
  if (!exporter) {
    exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  }
  return exporter;
}

export const newEdition = () => `ed-${randomUUID()}`;

export interface Story {
  title: string;
  text: string;
}

/** A writer task: a prose script from a story. */
export function scriptTask(minChars = 0): TextTask<Story> {
  return {
    name: "write_script",
    role: "writer",
    prompt: (s) => ({ system: withDataRule("You write a short broadcast news script."), user: dataBlock(`source: ${s.title}`, s.text) }),
    offline: (s) => s.text.split(/(?<=[.!?])\s+/)[0],
    minChars: () => minChars,
  };
}

export const reviewSchema = z.object({
  verdict: z.enum(["approve", "reject"]),
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
});
export type ReviewOut = z.infer<typeof reviewSchema>;

/** A reviewer task with structured output. */
export function reviewTask(role: "fact_checker" | "cross_reviewer" = "fact_checker"): StructuredTask<Story, ReviewOut> {
  return {
    name: "check_script",
    role,
    schema: reviewSchema,
    prompt: (s) => ({ system: withDataRule("You check a script against its source."), user: dataBlock("script", s.text) }),
    offline: (s) => ({ verdict: "approve", score: 1, reasons: [`every sentence found in ${s.title}`] }),
  };
}

export const SCRIPT = "The central bank kept rates unchanged. Markets rose.";
export const STORY: Story = { title: "Rates", text: "The central bank kept rates unchanged on Tuesday. Markets rose." };
export const GOOD_REVIEW: ReviewOut = { verdict: "approve", score: 0.9, reasons: ["matches the source"] };
