// The soak's leak checks: they flag memory growth, descriptors piling up and messages left
// pending (checked on made-up samples, so the checks themselves can fail), and hold on a few real
// editions back to back on the five processes, model roles on a fixed-latency test vendor (the full 30 are `npx tsx bench/soak/run.ts`).
import { describe, expect, it } from "vitest";
import { checkSamples, runSoak, type Sample } from "../../bench/soak/soak.js";
import { needServerTools } from "../../bench/chaos/servers.js";

const sample = (edition: number, rss: number, fds: number, pending = 0, db = 3): Sample => ({
  edition,
  wallMs: 1000,
  rssMb: { ingest: rss, editor: rss, factcheck: rss, voice: rss, publisher: rss },
  fds: { ingest: fds, editor: fds, factcheck: fds, voice: fds, publisher: fds },
  pooled: { ingest: { database: db }, editor: { database: db }, factcheck: { database: db }, voice: { database: db }, publisher: { database: db } },
  pending,
});

describe("soak leak checks", () => {
  it("flag growth past the tolerance and pass a steady run", () => {
    const ok = (samples: Sample[]) => checkSamples(samples, 1, 0.15, 4, { database: 10 }).map((c) => c.ok);
    expect(ok([sample(1, 200, 40), sample(2, 210, 42), sample(3, 220, 44)])).toEqual([true, true, true, true]);
    expect(ok([sample(1, 200, 40), sample(2, 220, 40), sample(3, 240, 40)])).toEqual([false, true, true, true]);
    expect(ok([sample(1, 200, 40), sample(2, 200, 45), sample(3, 200, 50)])).toEqual([true, false, true, true]);
    expect(ok([sample(1, 200, 40), sample(2, 200, 40, 3), sample(3, 200, 40)])).toEqual([true, true, true, false]);
    // The pool opening more of its connections is not a leak; more than its size is.
    expect(ok([sample(1, 200, 40, 0, 2), sample(2, 200, 40, 0, 4), sample(3, 200, 40, 0, 10)])).toEqual([true, true, true, true]);
    expect(ok([sample(1, 200, 40, 0, 2), sample(2, 200, 40, 0, 4), sample(3, 200, 40, 0, 11)])).toEqual([true, true, false, true]);
  });

  it("hold over a few editions back to back on the five processes", async (ctx) => {
    if (!needServerTools()) ctx.skip();
    const lines: string[] = [];
    // Small scale: memory is noisier over few editions, so the tolerance is wider than the full run's 15%.
    const report = await runSoak({ editions: 4, baselineAfter: 2, stories: 2, vendorLatencyMs: 100, rssTolerance: 0.25, log: (l) => lines.push(l) });
    expect(report.samples).toHaveLength(4);
    expect(report.checks.filter((c) => !c.ok), lines.join("\n")).toEqual([]);
  }, 900_000);
});
