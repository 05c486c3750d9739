// The chaos suite in full: every fault, one after another, during one edition (see chaos.ts).
// Prints what happened and writes the figures into bench/README.md (the "chaos" section).
//
//   npx tsx bench/chaos/run.ts            CHAOS_STORIES (default 4)
import { cpus, loadavg } from "node:os";
import { writeBenchSection } from "./readme.js";
import { runChaos, type ChaosReport } from "./chaos.js";

const report = await runChaos({ stories: Number(process.env.CHAOS_STORIES ?? 4) });
const section = render(report);
writeBenchSection("chaos", section);
console.log(section);
process.exit(report.ok ? 0 : 1);

function render(r: ChaosReport): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `Run ${new Date().toISOString().slice(0, 16)}Z on ${cpus().length} cores (load ${loadavg()[0].toFixed(1)}), ${r.undisturbed.stories.length} stories, offline models and the local voice.`,
    "",
    "| fault | dealt at | all five SERVING again after | during the edition |",
    "| --- | --- | --- | --- |",
    ...r.faults.map((f) => `| ${f.fault} | ${f.atS.toFixed(1)} s | ${s(f.recoveryMs)} | ${f.duringEdition ? "yes" : "no (already published)"} |`),
    "",
    `Undisturbed edition: ${s(r.undisturbed.wallMs)}; under faults: ${s(r.faulted.wallMs)} (${s(r.faulted.wallMs - r.undisturbed.wallMs)} lost to the faults).`,
    "",
    "| invariant | held | detail |",
    "| --- | --- | --- |",
    ...r.invariants.map((i) => `| ${i.name} | ${i.ok ? "yes" : "**no**"} | ${i.detail} |`),
  ].join("\n");
}
