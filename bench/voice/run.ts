// Voice benchmarks, bounded in time:
//  1. First-chunk latency of Voice.Synthesize over gRPC on the local engine (espeak-ng WASM,
//     kept warm) for one-sentence requests, one stream at a time and 8 streams at once.
//     Targets: p95 <= 150 ms one at a time, <= 50 ms with 8 streams (issue 12).
//  2. Segments per second with 1 to 4 voice replicas (separate processes, one durable
//     consumer on NATS, Postgres) against a test vendor with a fixed latency per request.
//     Target: each added replica adds at least 0.8x of one replica's rate.
// Prints a table and writes the figures into bench/README.md (the "voice" section).
//
//   npx tsx bench/voice/run.ts            BENCH_REQUESTS (default 60), BENCH_VENDOR_MS (default 150)
import { cpus, loadavg } from "node:os";
import { credentials } from "@grpc/grpc-js";
import { startGrpcServer } from "@newsroom/platform/grpc/server";
import { VoiceServiceClient, VoiceServiceService } from "@newsroom/proto/voice";
import { voiceServiceImpl } from "@newsroom/voice/grpc";
import { createSynthesizer } from "@newsroom/voice/speech/synthesizer";
import { waitFor } from "../../test/bus/harness.js";
import { NATS_URL, PG_ADMIN_URL, reachable } from "../../test/support/services.js";
import { voiceConfig } from "../../test/voice/config.js";
import { publishApproved, startVoiceCluster } from "../../test/voice/replicas.js";
import { markdownTable as table, writeReadmeSection } from "../readme.js";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const VENDOR_MS = Number(process.env.BENCH_VENDOR_MS ?? 150);
const SCRIPTS = 20;
const STREAMS = 8;
const MAX_REPLICAS = 4;
const SENTENCES: [string, "zh" | "en"][] = [
  ["今天的早间新闻由我为您播报。", "zh"],
  ["Here is the morning news.", "en"],
  ["央行宣布维持利率不变。", "zh"],
  ["Markets rose on Tuesday.", "en"],
];

const started = Date.now();
const load = loadavg()[0].toFixed(2);

interface Latency {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

/** One stream at a time, then `STREAMS` at once (each of them starting its next request when one ends). */
async function firstChunkLatency(): Promise<{ sequential: Latency; concurrent: Latency }> {
  const config = voiceConfig(`tts_providers: { local: { kind: local } }\nvoices: { anchor_a: ["local/+f3"], anchor_b: ["local/+m3"] }`);
  const tts = createSynthesizer({ config });
  await tts.warm();
  const server = await startGrpcServer({ port: 0, host: "127.0.0.1", services: [{ definition: VoiceServiceService, implementation: voiceServiceImpl({ tts }) }], env: {} });
  const client = new VoiceServiceClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
  const once = (i: number) =>
    new Promise<number>((resolve, reject) => {
      const [text, language] = SENTENCES[i % SENTENCES.length];
      const t0 = performance.now();
      let first = -1;
      const stream = client.synthesize({ text, persona: i % 2 ? "anchor_b" : "anchor_a", language });
      stream.on("data", () => {
        if (first < 0) first = performance.now() - t0;
      });
      stream.on("error", reject);
      stream.on("end", () => resolve(first));
    });
  try {
    for (let i = 0; i < 5; i++) await once(i); // warm the channel and the JIT
    const sequential: number[] = [];
    for (let i = 0; i < REQUESTS; i++) sequential.push(await once(i));
    const concurrent: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: STREAMS }, async () => {
        while (next < REQUESTS) concurrent.push(await once(next++));
      }),
    );
    return { sequential: summary(sequential), concurrent: summary(concurrent) };
  } finally {
    client.close();
    await server.shutdown(2_000);
    await tts.close();
  }
}

async function segmentsPerSecond(replicas: number): Promise<{ segments: number; seconds: number; perReplica: number[] }> {
  const cluster = await startVoiceCluster({ replicas, scripts: SCRIPTS, vendorLatencyMs: VENDOR_MS, concurrency: 1 });
  try {
    const t0 = performance.now();
    await publishApproved(cluster.bus, cluster.scripts);
    const voiced = async () => (await cluster.db.selectFrom("segments").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    await waitFor(`${SCRIPTS} scripts voiced by ${replicas} replica(s)`, async () => Number(await voiced()) === SCRIPTS * 2, 120_000);
    const seconds = (performance.now() - t0) / 1000;
    await waitFor("every replica to report", () => cluster.replicas.handled.flat().length >= SCRIPTS, 10_000).catch(() => {});
    return { segments: SCRIPTS * 2, seconds, perReplica: cluster.replicas.handled.map((h) => h.length) };
  } finally {
    await cluster.dispose();
  }
}

function summary(times: number[]): Latency {
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: Math.max(...times), n: times.length };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}


const latency = await firstChunkLatency();
const latencyRow = (label: string, l: Latency, target: number) => [label, l.n, l.p50.toFixed(1), l.p95.toFixed(1), l.max.toFixed(1), `<= ${target} ms: ${l.p95 <= target ? "met" : "NOT met"}`];
const latencyTable = table(
  ["streams at once", "requests", "first chunk p50 ms", "first chunk p95 ms", "max ms", "target p95"],
  [latencyRow("1", latency.sequential, 150), latencyRow(String(STREAMS), latency.concurrent, 50)],
);
console.log("\nVoice.Synthesize first-chunk latency (local engine, one sentence)\n" + latencyTable);

let throughputTable = "(skipped: Postgres or NATS is not reachable)";
if ((await reachable(PG_ADMIN_URL, 5432)) && (await reachable(NATS_URL, 4222))) {
  const rows: (string | number)[][] = [];
  let base = 0;
  for (let n = 1; n <= MAX_REPLICAS; n++) {
    const r = await segmentsPerSecond(n);
    const rate = r.segments / r.seconds;
    base ||= rate;
    // What each replica beyond the first adds, as a share of one replica's rate (goal: at least 0.8).
    const perAdded = n > 1 ? (rate / base - 1) / (n - 1) : undefined;
    rows.push([n, r.segments, r.seconds.toFixed(2), rate.toFixed(1), `${(rate / base).toFixed(2)}x`, perAdded === undefined ? "" : `${perAdded.toFixed(2)}x (${perAdded >= 0.8 ? "met" : "NOT met"})`, r.perReplica.join(" / ")]);
  }
  throughputTable = table(["replicas", "segments", "seconds", "segments/s", "speed-up", "per added replica (goal >= 0.8x)", "scripts per replica"], rows);
}
console.log(`\nSegments per second (test vendor: ${VENDOR_MS} ms per request; one script at a time per replica)\n` + throughputTable);

const seconds = Math.round((Date.now() - started) / 1000);
writeReadme(latencyTable, throughputTable, seconds);
console.log(`\nDone in ${seconds} s; figures written to bench/README.md.`);

function writeReadme(latencyMd: string, throughputMd: string, secs: number): void {
  writeReadmeSection(
    "voice",
    `## voice

Command: \`npx tsx bench/voice/run.ts\` (about ${Math.ceil(secs / 10) * 10} s; \`BENCH_REQUESTS\` sets the latency sample, default 60;
\`BENCH_VENDOR_MS\` the test vendor's latency, default 150). Needs Postgres and NATS for the second table.
Last run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} CPU cores, load average ${load} at start${Number(load) > cpus().length ? " (other work was running on the machine: read the ratios)" : ""}.

**First-chunk latency of \`Voice.Synthesize\`** over gRPC on 127.0.0.1 (platform gRPC server, generated client),
local engine (espeak-ng WASM instantiated once in a worker thread and kept warm), one-sentence requests alternating
Mandarin and English, after 5 warm-up calls: first one stream at a time, then ${STREAMS} streams at once (each starting its
next request as one ends), in the same run. Measured from the call to the first \`data\` event. The local engine is one worker thread, one
synthesis at a time, so streams at once queue behind each other: their p95 is several syntheses long.

${latencyMd}

**Segments per second with 1 to ${MAX_REPLICAS} replicas**: separate voice processes on one durable JetStream consumer and
Postgres, ${SCRIPTS} approved two-line scripts (${SCRIPTS * 2} segments), a MiniMax test vendor answering every request after
${VENDOR_MS} ms. Each replica voices one script at a time, so the replicas are what adds throughput. Timed from
publishing the events to the last segment row; one run, side by side. *Per added replica*: (speed-up - 1) / (replicas - 1).

${throughputMd}`,
  );
}
