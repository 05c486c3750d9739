import { describe, expect, it } from "vitest";
import { shrinkSources, type SourceBrief } from "./sources.js";

const source = (id: string, text: string, language = "en"): SourceBrief => ({ id, feed: "Wire", title: id, text, language, publishedAt: "2025-03-10T05:00:00.000Z" });

describe("shrinking sources for a small context", () => {
  it("halves long sources at a sentence end, leaves short ones, and stops when all are short", () => {
    const long = Array.from({ length: 40 }, (_, i) => `Sentence number ${i + 1} of the report says something.`).join(" ");
    const input = { sources: [source("a", long), source("b", "Short report.")] };
    const once = shrinkSources(input)!;
    expect(once.sources[0].text.length).toBeLessThanOrEqual(Math.floor(long.length / 2));
    expect(once.sources[0].text).toMatch(/^Sentence number 1 .*something\.$/);
    expect(once.sources[1].text).toBe("Short report.");
    let step: typeof input | null = once;
    let n = 0;
    while (step && n < 20) {
      step = shrinkSources(step) ?? null;
      n++;
    }
    expect(n).toBeLessThan(10);
    expect(shrinkSources({ sources: [source("b", "Short report.")] })).toBeNull();
  });
});
