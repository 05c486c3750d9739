// One whole edition in this process (every service, embedded PGlite, the in-process bus, the
// local voice) whose model roles are served by the fake OpenAI vendor answering every call
// after a fixed latency. Used by the test that stories overlap and by bench/edition. The model
// calls come back as `chat` spans (start, end, queue wait, story), so timing is measured where
// the router sees it, not guessed from ledger rows.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { parseConfig } from "@newsroom/platform/config/load";
import { requestEdition } from "@newsroom/ingest/editions/request";
import { ledgerFor } from "@newsroom/platform/ledger/ledger";
import { createLogger } from "@newsroom/platform/log";
import { runServices } from "@newsroom/platform/service/run";
import { SERVICES } from "@newsroom/cli/services";
import { startFakeOpenAI, type FakeOpenAI } from "../fakes/openai-server.js";
import * as m from "../pipeline/fake-models.js";

export interface VendorEditionOptions {
  stories: number;
  /** Every model call is answered after this long. */
  latencyMs: number;
  /** providers.<name>.max_concurrency of both vendors (default: the config default). */
  maxConcurrency?: number;
  /** A scratch folder (feeds, editions). */
  dir: string;
  /** Reuse one fake vendor across runs (models are prefixed per run). */
  fake?: FakeOpenAI;
  /** Or a vendor running elsewhere whose models are named `<prefix>-chief`, `<prefix>-writer`, ... */
  vendor?: { url: string; prefix: string };
}

/** One model call as the router made it. */
export interface ModelCallTiming {
  role: string;
  model: string;
  storyId?: string;
  /** When the request went to the vendor (after any queueing for the provider's limits), ms since epoch. */
  start: number;
  end: number;
  queuedMs: number;
}

/** The edition's `model_calls` rows summed by role and kind (bench/cost prices these). */
export interface RoleUsage {
  role: string;
  kind: "chat" | "tts";
  calls: number;
  input_tokens: number;
  output_tokens: number;
  characters: number;
}

export interface VendorEdition {
  editionId: string;
  status: string;
  stories: number;
  wallMs: number;
  calls: ModelCallTiming[];
  usage: RoleUsage[];
  /** Length of the edition's voiced segments. */
  audioMs: number;
  /** The in-process fake vendor (none with `vendor`). */
  fake?: FakeOpenAI;
}


let exporter: InMemorySpanExporter | undefined;
function spans(): InMemorySpanExporter {
  if (!exporter) {
    exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  }
  return exporter;
}

let runs = 0;

export async function runVendorEdition(o: VendorEditionOptions): Promise<VendorEdition> {
  const exp = spans();
  exp.reset();
  // A vendor in another process (bench/edition) or the fake in this one.
  const fake = o.vendor ? undefined : (o.fake ?? (await startFakeOpenAI()));
  const prefix = o.vendor?.prefix ?? `e${++runs}x${process.pid}`;
  if (fake) for (const [name, b] of Object.entries(m.wellBehavedModels())) fake.setBehaviour(`${prefix}-${name}`, m.withLatency(b, o.latencyMs));
  const url = o.vendor?.url ?? fake!.url;

  const now = new Date();
  const feed = writeDistinctStories(join(o.dir, "feeds"), now, o.stories);
  const yaml = vendorConfigYaml({ feed, url, prefix, stories: o.stories, maxConcurrency: o.maxConcurrency });
  const env = {
    ...process.env,
    ...VENDOR_KEYS,
    DATA_DIR: "memory://",
    OUTPUT_DIR: join(o.dir, "editions"),
    GRPC_PORT: "0",
    GRPC_HOST: "127.0.0.1",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
  };
  const config = parseConfig(yaml, join(o.dir, "newsroom.yaml"), env);
  const running = await runServices(SERVICES, { embedded: true, config, env, log: createLogger("vendor-edition", () => {}) });
  const { db } = running.deps;
  try {
    const started = Date.now();
    const { editionId } = await requestEdition({ db, config, now, onCommitted: running.deps.nudgeOutbox });
    let status = "";
    for (const until = Date.now() + 15 * 60_000; Date.now() < until; await sleep(100)) {
      status = (await db.selectFrom("editions").select("status").where("id", "=", editionId).executeTakeFirstOrThrow()).status;
      if (status === "published" || status === "failed") break;
    }
    const wallMs = Date.now() - started;
    const voiced = await db.selectFrom("stories").select("id").where("edition_id", "=", editionId).where("status", "=", "voiced").execute();
    await ledgerFor(db).flush();
    const usage = await db
      .selectFrom("model_calls")
      .select((e) => ["role", "kind", e.fn.countAll<number>().as("calls"), e.fn.sum<number>("input_tokens").as("input_tokens"), e.fn.sum<number>("output_tokens").as("output_tokens"), e.fn.sum<number>("characters").as("characters")])
      .where("edition_id", "=", editionId)
      .groupBy(["role", "kind"])
      .execute();
    const audio = await db.selectFrom("segments").select((e) => e.fn.sum<number>("duration_ms").as("ms")).where("edition_id", "=", editionId).executeTakeFirst();
    return {
      editionId,
      status,
      stories: voiced.length,
      wallMs,
      calls: chatTimings(exp.getFinishedSpans()),
      usage: usage.map((u) => ({ role: u.role, kind: u.kind, calls: Number(u.calls), input_tokens: Number(u.input_tokens), output_tokens: Number(u.output_tokens), characters: Number(u.characters) })),
      audioMs: Number(audio?.ms ?? 0),
      fake,
    };
  } finally {
    await running.stop("done");
    if (fake && !o.fake) await fake.close();
  }
}

/** The API keys the vendor config names (the fake vendor takes any well-formed key). */
export const VENDOR_KEYS = { USCO_KEY: "sk-test-usco-1234567", CNCO_KEY: "sk-test-cnco-7654321" };

/**
 * A config whose model roles are served by a test vendor at `url` (models `<prefix>-chief`,
 * `<prefix>-writer`, ... as in FAKE_CHAINS, offline behind them), reading one feed, the local voice.
 */
export function vendorConfigYaml(o: { feed: string; url: string; prefix: string; stories: number; maxConcurrency?: number }): string {
  const limit = o.maxConcurrency ? `, max_concurrency: ${o.maxConcurrency}` : "";
  const roles = Object.entries(m.FAKE_CHAINS)
    .map(([role, refs]) => `  ${role}: [${refs.map((r) => (r.startsWith("offline/") ? r : r.replace("/", `/${o.prefix}-`))).join(", ")}]`)
    .join("\n");
  return `edition:
  language: en
  stories: ${o.stories}
  window_hours: 24
  timezone: Europe/London
  deadline_minutes: 15
  target_words: 60
feeds:
  - {file: "${o.feed}"}
providers:
  usco: {camp: us, base_url: "${o.url}", api_key_env: USCO_KEY, max_retries: 0, timeout_ms: 60000${limit}}
  cnco: {camp: cn, base_url: "${o.url}", api_key_env: CNCO_KEY, max_retries: 0, timeout_ms: 60000${limit}}
  offline: {camp: local, kind: offline}
roles:
${roles}
`;
}

/** `chat` spans joined to their `invoke_agent` parent (role, story). */
function chatTimings(all: readonly ReadableSpan[]): ModelCallTiming[] {
  const agents = new Map(all.filter((s) => s.name.startsWith("invoke_agent ")).map((s) => [s.spanContext().spanId, s]));
  const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
  return all
    .filter((s) => s.name.startsWith("chat "))
    .map((s) => {
      const agent = agents.get(s.parentSpanContext?.spanId ?? "");
      const queuedMs = Number(s.attributes["newsroom.provider.queue_wait_ms"] ?? 0);
      return {
        role: String(agent?.attributes["gen_ai.agent.name"] ?? "?"),
        model: String(s.attributes["gen_ai.request.model"]),
        storyId: (agent?.attributes["newsroom.story.id"] as string | undefined) || undefined,
        start: ms(s.startTime) + queuedMs,
        end: ms(s.endTime),
        queuedMs,
      };
    });
}

const PLACES = ["Harbour City", "Northfield", "Stone Island", "Riverside", "Eastbrook", "Millbank", "Greenhill", "Oakport", "Westmere", "Lakeview", "Redcliff", "Ashford", "Brightwater", "Cedarvale", "Dunmore", "Elmstead", "Foxley", "Glenrock", "Hollowmere", "Ivybridge", "Juniper Bay", "Kingsmoor", "Larchfield", "Marlow Sands", "Newhaven", "Orchard Vale", "Pinecrest", "Quarry Hill", "Rosedale", "Silverton"];
const THINGS = ["library", "bridge", "hospital wing", "ferry route", "solar farm", "tram line", "school", "water plant", "stadium", "market hall", "cycle path", "museum", "fire station", "harbour wall", "wind farm", "clinic", "theatre", "railway depot", "park", "observatory", "archive", "bus depot", "sports centre", "concert hall", "airport terminal", "seed bank", "recycling plant", "lighthouse", "science lab", "swimming pool"];
const PEOPLE = ["Ana Ruiz", "Lena Park", "Tom Baker", "Omar Haddad", "Mei Lin", "Jonas Berg", "Priya Nair", "Carlos Mendes", "Sara Okafor", "Ivan Petrov", "Hana Sato", "Luca Romano", "Nadia Ali", "Erik Lund", "Grace Kim", "Felix Wagner", "Amara Diallo", "Yusuf Demir", "Clara Novak", "Diego Soto", "Leila Haddadi", "Marco Bianchi", "Ines Costa", "Kofi Mensah", "Zara Khan", "Pavel Dvorak", "Alice Moreau", "Ravi Kumar", "Sofia Larsen", "Ben Carter"];

const VERBS = ["opened", "unveiled", "inaugurated", "launched", "completed", "dedicated", "reopened", "finished", "presented", "revealed", "christened", "commissioned", "introduced", "debuted", "showcased", "restored", "expanded", "modernised", "rebuilt", "upgraded", "delivered", "approved", "welcomed", "blessed", "toured", "inspected", "celebrated", "promoted", "announced", "renamed"];
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONEY = ["dollars", "euros", "pounds", "francs", "kronor"];

/** An RSS file of `n` unrelated fresh stories (no shared names, places or figures), one source each. */
export function writeDistinctStories(dir: string, now: Date, n: number): string {
  if (n > PLACES.length) throw new Error(`at most ${PLACES.length} distinct stories`);
  mkdirSync(dir, { recursive: true });
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const items = Array.from({ length: n }, (_, i) => {
    const [place, thing, person, verb] = [PLACES[i], THINGS[i], PEOPLE[i], VERBS[i]];
    // Clustering joins items by shared words: each story has its own names, verb, figure and currency.
    const body = `${person} ${verb} the ${place} ${thing} on ${DAYS[i % 7]}. ${place} paid ${11 + i * 7} million ${MONEY[i % 5]} for the ${thing}.`;
    return `    <item>
      <title>${esc(`${person} ${verb} ${place} ${thing}`)}</title>
      <link>https://wire.example/news/${i + 1}</link>
      <guid>https://wire.example/news/${i + 1}</guid>
      <pubDate>${new Date(now.getTime() - (1 + (i % 12)) * 1_800_000).toUTCString()}</pubDate>
      <description>${esc(body)}</description>
    </item>`;
  });
  const file = join(dir, "wire.xml");
  writeFileSync(
    file,
    `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire Service</title><link>https://wire.example/</link><description>Wire</description><language>en</language>
${items.join("\n")}
</channel></rss>
`,
  );
  return file;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
