// The soak in full: 30 editions back to back on the five processes (see soak.ts); writes the
// figures into bench/README.md (the "soak" section).
//
//   npx tsx bench/soak/run.ts            SOAK_EDITIONS (default 30), SOAK_STORIES (default 3),
//                                        SOAK_LATENCY_MS (the test vendor's latency per call, default 300; "offline" for the offline models)
import { cpus, loadavg } from "node:os";
import { writeBenchSection } from "../chaos/readme.js";
import { SERVICE_NAMES } from "../chaos/newsroom.js";
import { runSoak, type SoakReport } from "./soak.js";

const editions = Number(process.env.SOAK_EDITIONS ?? 30);
const latency = process.env.SOAK_LATENCY_MS ?? "300";
const vendorLatencyMs = latency === "offline" ? undefined : Number(latency);
if (vendorLatencyMs !== undefined && !(vendorLatencyMs >= 0)) {
  console.error(`SOAK_LATENCY_MS: expected milliseconds (0 or more) or "offline", got "${latency}"`);
  process.exit(2);
}
const report = await runSoak({ editions, baselineAfter: 5, stories: Number(process.env.SOAK_STORIES ?? 3), vendorLatencyMs });
const section = render(report);
writeBenchSection("soak", section);
console.log(section);
process.exit(report.ok ? 0 : 1);

function render(r: SoakReport): string {
  const pick = [5, 10, 20, r.samples.length].filter((n, i, all) => n <= r.samples.length && all.indexOf(n) === i);
  return [
    `Run ${new Date().toISOString().slice(0, 16)}Z on ${cpus().length} cores (load ${loadavg()[0].toFixed(1)}): ${r.samples.length} editions back to back, ${vendorLatencyMs === undefined ? "offline models" : `model roles on a test vendor answering after ${vendorLatencyMs} ms`}, the local voice.`,
    "",
    `| after edition | wall time | ${SERVICE_NAMES.map((n) => `${n} RSS MB / fds`).join(" | ")} | JetStream pending |`,
    `| --- | --- | ${SERVICE_NAMES.map(() => "---").join(" | ")} | --- |`,
    ...pick.map((n) => {
      const s = r.samples[n - 1];
      return `| ${n} | ${(s.wallMs / 1000).toFixed(1)} s | ${SERVICE_NAMES.map((x) => `${s.rssMb[x].toFixed(0)} / ${s.fds[x]}`).join(" | ")} | ${s.pending} |`;
    }),
    "",
    "| check | held | detail |",
    "| --- | --- | --- |",
    ...r.checks.map((c) => `| ${c.name} | ${c.ok ? "yes" : "**no**"} | ${c.detail} |`),
  ].join("\n");
}
