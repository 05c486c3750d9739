import { describe, expect, it } from "vitest";
import { freshByTimestamps, guardFreshness, type GuardFacts } from "./freshness-guard.js";

const now = new Date("2025-03-10T07:00:00Z");
const h = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
// A story whose sources are all inside the 24-hour window: fresh by its timestamps.
const facts: GuardFacts = {
  now,
  windowHours: 24,
  storySources: [{ id: "a", publishedAt: h(3) }, { id: "b", publishedAt: h(5) }],
  editionSources: [{ id: "a", publishedAt: h(3) }, { id: "b", publishedAt: h(5) }, { id: "c", publishedAt: h(8) }, { id: "old", publishedAt: h(72) }],
  storySentences: ["The bridge reopened on Monday after two years of repairs.", "Traffic is expected to return to normal."],
};
// A story with one source from before the window: the timestamps already say it is not new.
const olderStory: GuardFacts = { ...facts, storySources: [...facts.storySources, { id: "old", publishedAt: h(72) }] };

describe("freshness guard", () => {
  it("lets fresh stand", () => {
    expect(guardFreshness({ verdict: "fresh", evidence: [], reason: "" }, facts)).toMatchObject({ upheld: true, overruledReason: null });
  });
  it("overrules old news without evidence, with made-up sources, or contradicted by the timestamps", () => {
    expect(guardFreshness({ verdict: "old_news", evidence: [], reason: "seen it" }, facts).overruledReason).toMatch(/no evidence cited/);
    expect(guardFreshness({ verdict: "old_news", evidence: [{ sourceId: "zzz", note: "" }], reason: "" }, facts).overruledReason).toMatch(/do not exist/);
    const later = guardFreshness({ verdict: "old_news", evidence: [{ sourceId: "c", note: "earlier" }], reason: "" }, facts);
    expect(later.upheld).toBe(false);
    expect(later.overruledReason).toMatch(/no cited source is dated before the 24-hour window opened/);
    const inWindow = guardFreshness({ verdict: "old_news", evidence: [{ sourceId: "c", note: "earlier" }], reason: "" }, olderStory);
    expect(inWindow.overruledReason).toMatch(/contradicted by the source timestamps.*2 of this story's 3 source/);
  });
  it("never takes a fresh story's own source as evidence against it, however plausible the note", () => {
    expect(freshByTimestamps(facts)).toBe(true);
    const g = guardFreshness(
      { verdict: "fake", evidence: [{ sourceId: "a", note: "this report is fabricated; no bridge was repaired", contradicts: "The bridge reopened on Monday after two years of repairs." }], reason: "" },
      facts,
    );
    expect(g.upheld).toBe(false);
    expect(g.overruledReason).toMatch(/story's own source/);
  });
  it("upholds fake about a fresh story only with another source naming the contradicted sentence of the story", () => {
    expect(guardFreshness({ verdict: "fake", evidence: [{ sourceId: "c", note: "the city denied it" }], reason: "" }, facts).overruledReason).toMatch(/names a sentence/);
    expect(guardFreshness({ verdict: "fake", evidence: [{ sourceId: "c", note: "denied", contradicts: "Aliens landed in the harbour." }], reason: "" }, facts).upheld).toBe(false);
    const g = guardFreshness({ verdict: "fake", evidence: [{ sourceId: "c", note: "the city denied it", contradicts: "The bridge reopened on Monday" }], reason: "" }, facts);
    expect(g).toMatchObject({ upheld: true, evidence: [{ sourceId: "c", publishedAt: h(8).toISOString() }] });
  });
  it("upholds old news that cites an earlier source from before the window, with the database's date", () => {
    const g = guardFreshness({ verdict: "old_news", evidence: [{ sourceId: "old", publishedAt: "2099-01-01", note: "first reported" }], reason: "" }, facts);
    expect(g).toMatchObject({ upheld: true, overruledReason: null, evidence: [{ sourceId: "old", publishedAt: h(72).toISOString() }] });
  });
  it("for a story with a source before the window, upholds fake with an existing source that says what it contradicts", () => {
    expect(guardFreshness({ verdict: "fake", evidence: [{ sourceId: "c", note: "" }], reason: "" }, olderStory).upheld).toBe(false);
    expect(guardFreshness({ verdict: "fake", evidence: [{ sourceId: "c", note: "the agency denied it" }], reason: "" }, olderStory).upheld).toBe(true);
  });
});
