// The chaos suite at a bounded scale (the full run is `npx tsx bench/chaos/run.ts`): an edition
// made while a service is SIGKILLed and restarted, NATS is killed and restarted, and Postgres is
// stopped with -m immediate and started again keeps every story of the undisturbed edition, has
// nothing twice, the same audio length within 3%, no dead letters, and meets its deadline.
import { describe, expect, it } from "vitest";
import { runChaos } from "../../bench/chaos/chaos.js";
import { needServerTools } from "../../bench/chaos/servers.js";

describe("chaos", () => {
  it("an edition under a Postgres crash, a NATS restart and a killed service matches the undisturbed one", async (ctx) => {
    if (!needServerTools()) ctx.skip();
    const lines: string[] = [];
    // No pause between faults: the server faults follow each other while the edition is being made.
    const report = await runChaos({ stories: 2, faults: ["stop postgres", "kill nats", "kill voice"], gapMs: 0, log: (l) => lines.push(l) });
    expect(report.faults.map((f) => f.fault)).toEqual(["stop postgres", "kill nats", "kill voice"]);
    expect(report.invariants.filter((i) => !i.ok), lines.join("\n")).toEqual([]);
    expect(report.faulted.stories.length).toBeGreaterThan(0);
    // The first fault is dealt as the edition is requested, so it always lands mid-edition; whether
    // the later ones still find the edition unpublished depends on the machine's speed (the report
    // says which did), and a test asserts no timing.
    expect(report.faults[0].duringEdition).toBe(true);
    for (const f of report.faults) expect(f.recoveryMs).toBeGreaterThan(0);
  }, 900_000);
});
