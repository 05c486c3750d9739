// Stories move side by side: with a slow vendor, the model calls of different stories are in
// flight at the same time (handler concurrency on every consumer, the in-process bus, PGlite),
// and the edition still comes out whole. No timing is asserted: only that calls overlap.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runVendorEdition, type ModelCallTiming } from "../support/vendor-edition.js";

const overlaps = (a: ModelCallTiming, b: ModelCallTiming) => a.start < b.end && b.start < a.end;

it("runs two stories' model calls at the same time when the vendor is slow", async () => {
  const run = await runVendorEdition({ stories: 3, latencyMs: 400, dir: mkdtempSync(join(tmpdir(), "side-by-side-")) });
  expect(run.status).toBe("published");
  expect(run.stories).toBe(3);

  const storyCalls = run.calls.filter((c) => c.storyId);
  expect(new Set(storyCalls.map((c) => c.storyId)).size).toBe(3);
  const crossStory = storyCalls.some((a) => storyCalls.some((b) => a.storyId !== b.storyId && overlaps(a, b)));
  expect(crossStory).toBe(true);
  // The vendor saw it too: more than one writer request in flight at once.
  const writerModel = storyCalls.find((c) => c.role === "writer")!.model;
  expect(run.fake!.maxInFlight(writerModel)).toBeGreaterThan(1);
}, 300_000);
