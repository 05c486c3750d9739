import { describe, expect, it } from "vitest";
import { guardFreshness, type GuardFacts } from "./freshness-guard.js";

const now = new Date("2025-03-10T07:00:00Z");
const h = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const facts: GuardFacts = {
  now,
  windowHours: 24,
  storySources: [{ id: "a", publishedAt: h(3) }, { id: "b", publishedAt: h(5) }],
  editionSources: [{ id: "a", publishedAt: h(3) }, { id: "b", publishedAt: h(5) }, { id: "c", publishedAt: h(8) }, { id: "old", publishedAt: h(72) }],
};

describe("freshness guard", () => {
  it("lets fresh stand", () => {
    expect(guardFreshness({ verdict: "fresh", evidence: [], reason: "" }, facts)).toMatchObject({ upheld: true, overruledReason: null });
  });
  it("overrules old news without evidence, with made-up sources, or contradicted by the timestamps", () => {
    expect(guardFreshness({ verdict: "old_news", evidence: [], reason: "seen it" }, facts).overruledReason).toMatch(/no evidence cited/);
    expect(guardFreshness({ verdict: "old_news", evidence: [{ sourceId: "zzz", note: "" }], reason: "" }, facts).overruledReason).toMatch(/do not exist/);
    const inWindow = guardFreshness({ verdict: "old_news", evidence: [{ sourceId: "c", note: "earlier" }], reason: "" }, facts);
    expect(inWindow.upheld).toBe(false);
    expect(inWindow.overruledReason).toMatch(/contradicted by the source timestamps.*2 of this story's 2 source/);
  });
  it("upholds old news that cites an earlier source from before the window, with the database's date", () => {
    const g = guardFreshness({ verdict: "old_news", evidence: [{ sourceId: "old", publishedAt: "2099-01-01", note: "first reported" }], reason: "" }, facts);
    expect(g).toMatchObject({ upheld: true, overruledReason: null, evidence: [{ sourceId: "old", publishedAt: h(72).toISOString() }] });
  });
  it("upholds fake only with an existing contradicting source that says what it contradicts", () => {
    expect(guardFreshness({ verdict: "fake", evidence: [{ sourceId: "c", note: "" }], reason: "" }, facts).upheld).toBe(false);
    expect(guardFreshness({ verdict: "fake", evidence: [{ sourceId: "c", note: "the agency denied it" }], reason: "" }, facts).upheld).toBe(true);
  });
});
