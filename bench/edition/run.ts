// An edition of N stories against a test vendor that answers every model call after a fixed
// latency (in its own process), on the embedded default (every service in this process, PGlite,
// the in-process bus, the local voice). Reports wall time, the longest story, the spread across
// stories, the idle share within stories and the ratio to the model-latency critical path,
// for 6, 12 and 24 stories and for 12 stories under a tight provider limit. Ratios, measured
// side by side in one run. Writes the "edition" section of bench/README.md.
//
//   npx tsx bench/edition/run.ts        BENCH_LATENCY_MS (default 500), BENCH_STORIES (default 6,12,24), BENCH_LIMIT (default 2)
import { mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { runVendorEdition } from "../../test/support/vendor-edition.js";
import { markdownTable, writeReadmeSection } from "../readme.js";
import { editionFigures, type EditionFigures } from "./metrics.js";
import { startVendorProcess } from "./vendor-process.js";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 500);
const SIZES = (process.env.BENCH_STORIES ?? "6,12,24").split(",").map(Number);
const LIMIT = Number(process.env.BENCH_LIMIT ?? 2);
const load = loadavg()[0].toFixed(2);
const started = Date.now();

const vendor = await startVendorProcess(LATENCY_MS);
const url = vendor.url;

/** No practical limit for the main rows: what is measured is the pipeline, not a provider's cap. */
const OPEN = 256;
const runs: { label: string; n: number; limit: number }[] = [
  ...SIZES.map((n) => ({ label: `${n} stories`, n, limit: OPEN })),
  { label: `12 stories, max_concurrency ${LIMIT}`, n: 12, limit: LIMIT },
];
const rows: (string | number)[][] = [];
const results: { label: string; f: EditionFigures; wallMs: number; voiced: number; status: string }[] = [];
try {
  for (const r of runs) {
    const run = await runVendorEdition({ stories: r.n, latencyMs: LATENCY_MS, maxConcurrency: r.limit, dir: mkdtempSync(join(tmpdir(), "bench-edition-")), vendor: { url, prefix: "v" } });
    const f = editionFigures(run.calls);
    results.push({ label: r.label, f, wallMs: run.wallMs, voiced: run.stories, status: run.status });
    const row = [
      r.label,
      `${run.stories}/${r.n} ${run.status}`,
      f.calls,
      (run.wallMs / 1000).toFixed(1),
      (f.editorialMs / 1000).toFixed(1),
      (f.longestStoryMs / 1000).toFixed(1),
      f.spread.toFixed(2),
      `${(f.idleShare * 100).toFixed(1)}%`,
      (f.criticalPathMs / 1000).toFixed(1),
      f.toCriticalPath.toFixed(2),
      (f.maxQueuedMs / 1000).toFixed(1),
    ];
    rows.push(row);
    console.log(row.join("  "));
  }
} finally {
  vendor.close();
}

const table = markdownTable(
  ["edition", "voiced", "model calls", "wall s", "editorial s", "longest story s", "spread", "idle in stories", "critical path s", "x critical path", "max queued s"],
  rows,
);
const at12 = results.find((r) => r.label === "12 stories");
const verdict = at12
  ? `At 12 stories: spread ${at12.f.spread.toFixed(2)} (goal at most 1.5: ${at12.f.spread <= 1.5 ? "met" : "not met"}), idle ${(at12.f.idleShare * 100).toFixed(1)}% (goal at most 5%: ${at12.f.idleShare <= 0.05 ? "met" : "not met"}).`
  : "";
const seconds = Math.round((Date.now() - started) / 1000);
writeReadmeSection(
  "edition",
  `## edition

Command: \`npx tsx bench/edition/run.ts\` (about ${Math.ceil(seconds / 10) * 10} s; \`BENCH_LATENCY_MS\` the vendor's latency per call, default 500;
\`BENCH_STORIES\` the sizes, default 6,12,24; \`BENCH_LIMIT\` the tight provider limit, default 2).
Last run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} CPU cores, load average ${load} at start.

A whole edition on the embedded default (every service in one process, PGlite, the in-process bus, the local voice),
its model roles on an OpenAI-compatible test vendor in another process answering every call after ${LATENCY_MS} ms, fresh
unrelated stories (one source each). Timings are the router's \`chat\` spans (queueing for a provider's limit excluded
from a call and reported apart). *Editorial*: first model call to last. *Longest story*: its first call to its last.
*Spread*: first to last call across all stories' calls, divided by the longest story (1.0: every story at once; N: one
after another). *Idle in stories*: share of each story's first-to-last time in which none of its calls was running
(bus hops, database, waiting for a handler slot or a provider). *Critical path*: the lineup and greeting calls before
the first story, plus the longest story's model time; *x critical path* is editorial time divided by it.
Handlers run 16 at once per consumer (the runner's default); the vendors are configured with \`max_concurrency: ${OPEN}\`
(no practical cap) except in the last row, which caps both at \`max_concurrency: ${LIMIT}\` and shows the queueing.
At the config default (16 per provider) the three review roles of 12 stories (36 requests) queue for one provider.
On a loaded machine (load average far above the core count) a 500 ms call takes the router seconds (CPU and event loop
are shared), which stretches every story and the critical path alike: read the ratios, not the seconds.

${table}

${verdict}
Before this change (one handler at a time per consumer, measured by the issue at 500 ms and 12 stories) the spread was about 7.8.`,
);
console.log(`\n${table}\n\n${verdict}\nDone in ${seconds} s; figures written to bench/README.md.`);
process.exit(0);
