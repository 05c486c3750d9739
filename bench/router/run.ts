// Router bench: (1) what the router adds to a call against calling the same OpenAI-compatible
// server directly through the SDK, and (2) during an outage of the primary (500s, or a hang),
// how long each call takes to reach the backup and how many requests are wasted on the dead
// primary, with the circuit breaker and without. Writes the figures into bench/README.md.
//
//   npx tsx bench/router/run.ts
import { readFileSync } from "node:fs";
import OpenAI from "openai";
import { DummyDriver, Kysely, sql, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from "kysely";
import { parseConfig } from "@newsroom/platform/config/load";
import { migrate, openDatabase, type Db } from "@newsroom/platform/db/connect";
import { createLogger } from "@newsroom/platform/log";
import { editionSpend, recordCall } from "@newsroom/platform/router/ledger";
import { closeLedger } from "@newsroom/platform/ledger/ledger";
import { createRouter, type RouterOptions } from "@newsroom/platform/router/router";
import type { TextTask } from "@newsroom/platform/router/types";
import { behave, startFakeOpenAI, type Behaviour, type FakeOpenAI } from "../../test/fakes/openai-server.js";
import { postgresLedger } from "../../test/router/support.js";
import { PG_ADMIN_URL, reachable } from "../../test/support/services.js";
import { markdownTable, writeReadmeSection } from "../readme.js";

const OVERHEAD_CALLS = Number(process.env.BENCH_CALLS ?? 300);
const WARMUP = 20;
/** Each database's overhead loop stops here even if it has fewer samples (a busy machine is slow). */
const OVERHEAD_SECONDS = 8;
const KEYS = { BENCH_A_KEY: "bench-key-alpha", BENCH_B_KEY: "bench-key-beta" };
const REPLY = "The central bank kept rates unchanged on Tuesday. Markets rose.";
const quiet = createLogger("bench", () => {});

const task: TextTask<string> = {
  name: "bench",
  role: "writer",
  prompt: (text) => ({ system: "You write a short broadcast news script.", user: text }),
  offline: (text) => text,
};

function config(url: string, alpha: Record<string, unknown>) {
  const p = (camp: string, key: string, extra = {}) => ({ camp, base_url: url, api_key_env: key, prices: { input_per_mtok: 0.5, output_per_mtok: 1.5 }, ...extra });
  const chain = ["alpha/primary", "beta/backup"];
  return parseConfig(
    JSON.stringify({
      feeds: [{ url: "http://127.0.0.1:9/feed.xml" }],
      providers: { alpha: p("us", "BENCH_A_KEY", alpha), beta: p("cn", "BENCH_B_KEY") },
      roles: { default: chain, fact_checker: [...chain].reverse(), cross_reviewer: [...chain].reverse(), freshness_judge: [...chain].reverse(), deputy_editor: [...chain].reverse() },
      edition: { budget_usd: 1000 },
    }),
    "bench/router/bench.yaml",
    KEYS,
  );
}

const samples: string[] = [];
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => x.toFixed(2);

/** One measured step: wall-clock and this process's CPU time (which a busy machine inflates far less). */
async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const wall = performance.now() - t;
  const used = process.cpuUsage(c);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

/** Direct SDK calls and routed calls with and without an edition, interleaved, compared pairwise; plus the ledger's two queries alone. */
async function overhead(fake: FakeOpenAI, db: Db, dbName: string): Promise<(string | number)[][]> {
  fake.setBehaviour("primary", behave.ok(REPLY));
  const cfg = config(fake.url, {});
  const sdk = new OpenAI({ baseURL: fake.url, apiKey: KEYS.BENCH_A_KEY, maxRetries: 0 });
  const router = createRouter({ config: cfg, db, env: KEYS, log: quiet });
  const s = { direct: [] as Sample[], bare: [] as Sample[], routed: [] as Sample[], bareOver: [] as Sample[], routedOver: [] as Sample[], insert: [] as Sample[], spend: [] as Sample[], writeThrough: [] as Sample[] };
  const edition = `bench-${dbName}-${Date.now()}`;
  // The time bound starts after the warm-up, so a busy machine still gets samples.
  let stopAt = Infinity;
  for (let i = 0; i < WARMUP + OVERHEAD_CALLS && performance.now() < stopAt; i++) {
    if (i === WARMUP) stopAt = performance.now() + OVERHEAD_SECONDS * 1000;
    // Interleaved, and overhead taken per pair, so drift in the machine's load hits every path alike.
    const direct = await timed(() => sdk.chat.completions.create({ model: "primary", messages: [{ role: "system", content: "You write a short broadcast news script." }, { role: "user", content: `story ${i}` }] }));
    const bare = await timed(() => router.run(task, `story ${i}`));
    const routed = await timed(() => router.run(task, `story ${i}`, { editionId: edition, storyId: `s${i}` }));
    const insert = await timed(() => recordCall(db, { role: "writer", entry: cfg.chains.writer[0], inputTokens: 10, outputTokens: 10, estimated: false, outputChars: 40, latencyMs: 1, outcome: "ok", note: "bench" }));
    const spend = await timed(() => editionSpend(db, edition));
    // What every call paid before, side by side: an awaited one-row insert and the edition's sum.
    const writeThrough = await timed(async () => {
      await db.insertInto("model_calls").values({ role: "writer", kind: "chat", provider: "alpha", model: "primary", camp: "us", input_tokens: 10, output_tokens: 10, tokens_estimated: false, characters: 40, cost_usd: 0, latency_ms: 1, outcome: "ok", note: "bench write-through" }).execute();
      await db.selectFrom("model_calls").select(sql<number>`coalesce(sum(cost_usd), 0)::float8`.as("spent")).where("edition_id", "=", edition).executeTakeFirst();
    });
    if (i < WARMUP) continue;
    s.direct.push(direct);
    s.bare.push(bare);
    s.routed.push(routed);
    s.bareOver.push({ wall: bare.wall - direct.wall, cpu: bare.cpu - direct.cpu });
    s.routedOver.push({ wall: routed.wall - direct.wall, cpu: routed.cpu - direct.cpu });
    s.insert.push(insert);
    s.spend.push(spend);
    s.writeThrough.push(writeThrough);
  }
  await router.close();
  samples.push(`${dbName}: ${s.direct.length}`);
  const row = (label: string, xs: Sample[]) => {
    const wall = xs.map((x) => x.wall);
    const cpu = xs.map((x) => x.cpu);
    return [dbName, label, ms(pct(wall, 50)), ms(pct(wall, 95)), ms(pct(cpu, 50))];
  };
  return [
    row("SDK direct to the test server", s.direct),
    row("router.run, no edition", s.bare),
    row("router.run, with edition", s.routed),
    row("**overhead, no edition**", s.bareOver),
    row("**overhead, with edition**", s.routedOver),
    row("of which: ledger row (written behind)", s.insert),
    row("of which: budget check (running total)", s.spend),
    row("before: awaited insert + budget query", s.writeThrough),
  ];
}

type Sample = { wall: number; cpu: number };

interface OutageResult {
  scenario: string;
  breaker: boolean;
  calls: number;
  wasted: number;
  p50: number;
  max: number;
  first: number;
  total: number;
}

async function outage(fake: FakeOpenAI, db: Db, scenario: "500" | "hang", withBreaker: boolean): Promise<OutageResult> {
  const primary: Behaviour = scenario === "500" ? behave.fail(500) : behave.hang();
  fake.setBehaviour("primary", primary);
  fake.setBehaviour("backup", behave.ok(REPLY));
  const before = fake.callsFor("primary").length;
  const calls = scenario === "500" ? 20 : 10;
  const alpha = scenario === "500" ? { max_retries: 2 } : { max_retries: 1, timeout_ms: 300 };
  const opts: Partial<RouterOptions> = {
    breaker: withBreaker ? { threshold: 5, halfOpenAfterMs: 30_000 } : false,
    retry: { initialDelayMs: 50, maxDelayMs: 400 },
  };
  const router = createRouter({ config: config(fake.url, alpha), db, env: KEYS, log: quiet, ...opts });
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    const r = await router.run(task, `story ${i}`);
    if (r.model !== "backup") throw new Error(`expected the backup to answer, got ${r.model}`);
    times.push(performance.now() - t);
  }
  const total = performance.now() - start;
  await router.close();
  return { scenario, breaker: withBreaker, calls, wasted: fake.callsFor("primary").length - before, p50: pct(times, 50), max: Math.max(...times), first: times[0], total };
}

async function main() {
  const started = performance.now();
  const fake = await startFakeOpenAI();
  const pglite = await openDatabase({ dataDir: "memory://" });
  await migrate(pglite);
  const postgres = (await reachable(PG_ADMIN_URL, 5432)) ? await postgresLedger() : undefined;
  try {
    const rows = (await overhead(fake, noDatabase(), "none")).slice(0, 5);
    rows.push(...(await overhead(fake, pglite, "PGlite")));
    if (postgres) rows.push(...(await overhead(fake, postgres.db, "Postgres")));
    const overheadTable = markdownTable(["ledger in", "path", "wall p50 ms", "wall p95 ms", "CPU p50 ms"], rows);
    const results: OutageResult[] = [];
    for (const scenario of ["500", "hang"] as const) for (const b of [true, false]) results.push(await outage(fake, pglite, scenario, b));
    const outageTable = markdownTable(
      ["primary", "breaker", "calls", "requests wasted on primary", "first call ms", "p50 call ms", "max call ms", "all calls ms"],
      results.map((r) => [r.scenario === "500" ? "HTTP 500" : "hangs (300 ms timeout)", r.breaker ? "on" : "off", r.calls, r.wasted, r.first.toFixed(0), r.p50.toFixed(1), r.max.toFixed(0), r.total.toFixed(0)]),
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Router overhead (samples per path: ${samples.join(", ")}; after ${WARMUP} warm-up)\n${overheadTable}\n\nOutage of the primary\n${outageTable}\n\n(${seconds} s)`);
    writeReadme(overheadTable, outageTable, seconds);
  } finally {
    await fake.close();
    await closeLedger(pglite);
    if (postgres) await closeLedger(postgres.db);
    await pglite.destroy();
    await postgres?.drop();
  }
}

/** Kysely that compiles every query and answers with no rows: the router's own work, without a ledger. */
function noDatabase(): Db {
  return new Kysely({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

function writeReadme(overheadTable: string, outageTable: string, seconds: string) {
  writeReadmeSection(
    "router",
    `## router

Command: \`npx tsx bench/router/run.ts\` (about ${Math.ceil(Number(seconds) / 10) * 10} s; \`BENCH_CALLS\` sets the overhead sample, default 300, each database's loop stopping ${OVERHEAD_SECONDS} s after the warm-up).
Samples per path in this run: ${samples.join(", ")}.
Last run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpuNote()}; the test server runs in the same process.
"ledger in: none" is the router's own work (queries compiled by kysely but answered by its DummyDriver); then with the
ledger in in-memory PGlite (the embedded default, in the same process) and, when it is reachable, a real Postgres.

**Overhead per call** against calling the test server directly with the \`openai\` SDK (target: at most 1 ms at p50 with the ledger),
taken per interleaved pair of calls. Wall time is what a caller waits; CPU time is this process's (the test server,
the SDK, the router and in-process PGlite; not the Postgres server), which shows the work done when the machine is busy.
The router's work per call: candidate ordering, a \`chat\` and an \`invoke_agent\` span, the truncation check and one
\`model_calls\` row, journaled and written behind in batches (platform/src/ledger); with an edition id also the budget
check against the ledger's running total of the edition's spend (read from the database on first use, re-read at
most every 2 s) and a token count of the prompt. "before" is what each call awaited until issue 12: a one-row
insert and the edition's sum query, measured in the same loop.

${overheadTable}

Read "ledger in: none" as the router's own work; the PGlite and Postgres rows add the ledger. A call no longer waits for
the database: its row is appended to the crash journal and buffered, the batch is written every 50 ms (and before a
handler commits), and the budget check reads a number kept in the process. The batched writes still cost CPU in this
process on PGlite, off the call's path. When the load average is far above the core count (as in the run above), wall times of single
calls are noise (even negative differences); the CPU column and the "of which" rows measured in the same loop are what to read.

**Outage of the primary** (chain: primary, then a healthy backup; sequential calls; retries wait 50 to 400 ms of
jittered backoff, so the numbers show the breaker's effect rather than production waits). Breaker: cockatiel
ConsecutiveBreaker, 5 consecutive provider failures open it for 30 s. Every call was answered by the backup.

${outageTable}

With the breaker the primary costs a few requests (two calls' worth of retries) and then calls go straight to the
backup; without it every call pays the full retry budget (or the timeouts) against a dead provider.
`,
  );
}

function cpuNote(): string {
  try {
    const load = readFileSync("/proc/loadavg", "utf8").split(" ")[0];
    return `load average ${load} at start`;
  } catch {
    return "load unknown";
  }
}

const guard = setTimeout(() => {
  console.error("bench/router: over 300 s, giving up");
  process.exit(1);
}, 300_000);
guard.unref();
main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
