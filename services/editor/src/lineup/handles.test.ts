import { describe, expect, it } from "vitest";
import { candidateBlocks, checkLineup, resolvePick, shrinkLineup, type Candidate, type LineupInput } from "./candidates.js";
import { fillLineup, validPicks } from "./merge.js";

const cand = (id: string, hoursAgo: number): Candidate => ({
  id,
  title: `Story ${id}`,
  summary: "A summary that is long enough to be shortened when the context is small. ".repeat(4),
  languages: ["en"],
  sourceCount: 1,
  outlets: ["Wire"],
  firstPublished: new Date(Date.UTC(2025, 2, 10, 12 - hoursAgo)).toISOString(),
  latestPublished: new Date(Date.UTC(2025, 2, 10, 12 - hoursAgo)).toISOString(),
});
const candidates = ["2025-03-10-evening-abc-s1", "2025-03-10-evening-abc-s2", "2025-03-10-evening-abc-s3", "2025-03-10-evening-abc-s4"].map((id, i) => cand(id, i));
const input: LineupInput = { language: "en", slot: "evening", now: "2025-03-10T12:00:00Z", stories: 2, audience: "commuters", candidates };

describe("candidate handles", () => {
  it("map numbers however a weak model writes them, and exact ids, back to candidates; anything else is no pick", () => {
    expect(["2", "#2", "story 2", "story-2x", " 2. "].map((p) => resolvePick(p, candidates))).toEqual(Array(5).fill(candidates[1].id));
    expect(resolvePick(candidates[3].id, candidates)).toBe(candidates[3].id);
    expect(["...", "0", "5", "2025-03-10-evening-abc-s", "the second"].map((p) => resolvePick(p, candidates))).toEqual(Array(5).fill(undefined));
  });
  it("check a reply: too few real candidates is sent back naming the valid numbers", () => {
    expect(checkLineup({ picks: [{ id: "1", why: "" }, { id: "3", why: "" }], reason: "" }, input)).toEqual([]);
    const [problem] = checkLineup({ picks: [{ id: "...", why: "..." }], reason: "..." }, input);
    expect(problem).toMatch(/0 of the 2 picks name a candidate; these ids are not candidate numbers: "\.\.\."\. Valid ids are the story numbers listed \(1 to 4\)/);
  });
  it("fill a short lineup with the newest candidates not picked, and keep valid picks in order", () => {
    expect(validPicks({ picks: [{ id: "3", why: "" }, { id: "x", why: "" }, { id: "3", why: "" }], reason: "" }, candidates, 2)).toEqual([candidates[2].id]);
    expect(fillLineup([candidates[2].id], candidates, 3)).toEqual([candidates[2].id, candidates[0].id, candidates[1].id]);
  });
  it("shrink: summaries first, then the oldest candidates are hidden, never below twice the stories; the rest keep their numbers", () => {
    let step: LineupInput | null = input;
    const seen: string[] = [];
    while ((step = shrinkLineup(step))) seen.push(`${step.summaryChars}/${step.candidates.length}`);
    expect(seen).toEqual(["160/4", "80/4", "40/4", "20/4", "0/4"]);
    const many = { ...input, candidates: Array.from({ length: 40 }, (_, i) => cand(`c${i}`, i % 10)), summaryChars: 0 };
    const shrunk = shrinkLineup(many)!;
    expect(shrunk.candidates).toEqual(many.candidates);
    expect([...shrunk.hidden!].sort()).toEqual(["c18", "c19", "c28", "c29", "c37", "c38", "c39", "c7", "c8", "c9"]);
    const shown = candidateBlocks(shrunk).match(/story \d+/g)!;
    expect(shown).toHaveLength(30);
    expect(shown.slice(6, 8)).toEqual(["story 7", "story 11"]);
    expect(checkLineup({ picks: [], reason: "" }, shrunk)[0]).toMatch(/listed \(1 to 7, 11 to 18, 21 to 28, 31 to 37\)/);
    expect(shrinkLineup({ ...shrunk, hidden: many.candidates.slice(4).map((c) => c.id) })).toBeNull();
  });
});
