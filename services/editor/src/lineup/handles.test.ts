import { describe, expect, it } from "vitest";
import { checkLineup, resolvePick, shrinkLineup, type Candidate, type LineupInput } from "./candidates.js";
import { fillLineup, validPicks } from "./merge.js";

const cand = (id: string, hoursAgo: number): Candidate => ({
  id,
  title: `Story ${id}`,
  summary: "A summary that is long enough to be shortened when the context is small. ".repeat(4),
  languages: ["en"],
  sourceCount: 1,
  firstPublished: new Date(Date.UTC(2025, 2, 10, 12 - hoursAgo)).toISOString(),
  latestPublished: new Date(Date.UTC(2025, 2, 10, 12 - hoursAgo)).toISOString(),
});
const candidates = ["2025-03-10-evening-abc-s1", "2025-03-10-evening-abc-s2", "2025-03-10-evening-abc-s3", "2025-03-10-evening-abc-s4"].map((id, i) => cand(id, i));
const input: LineupInput = { language: "en", slot: "evening", now: "2025-03-10T12:00:00Z", stories: 2, candidates };

describe("candidate handles", () => {
  it("map numbers however a weak model writes them, and exact ids, back to candidates; anything else is no pick", () => {
    expect(["2", "#2", "story 2", "story-2x", " 2. "].map((p) => resolvePick(p, candidates))).toEqual(Array(5).fill(candidates[1].id));
    expect(resolvePick(candidates[3].id, candidates)).toBe(candidates[3].id);
    expect(["...", "0", "5", "2025-03-10-evening-abc-s", "the second"].map((p) => resolvePick(p, candidates))).toEqual(Array(5).fill(undefined));
  });
  it("check a reply: too few real candidates is sent back naming the valid numbers", () => {
    expect(checkLineup({ picks: [{ id: "1", why: "" }, { id: "3", why: "" }], reason: "" }, input)).toEqual([]);
    const [problem] = checkLineup({ picks: [{ id: "...", why: "..." }], reason: "..." }, input);
    expect(problem).toMatch(/0 of the 2 picks name a candidate; these ids are not candidate numbers: "\.\.\."\. Valid ids are the numbers 1 to 4/);
  });
  it("fill a short lineup with the newest candidates not picked, and keep valid picks in order", () => {
    expect(validPicks({ picks: [{ id: "3", why: "" }, { id: "x", why: "" }, { id: "3", why: "" }], reason: "" }, candidates, 2)).toEqual([candidates[2].id]);
    expect(fillLineup([candidates[2].id], candidates, 3)).toEqual([candidates[2].id, candidates[0].id, candidates[1].id]);
  });
  it("shrink: summaries first, then the oldest candidates, never below twice the stories", () => {
    let step: LineupInput | null = input;
    const seen: string[] = [];
    while ((step = shrinkLineup(step))) seen.push(`${step.summaryChars}/${step.candidates.length}`);
    expect(seen).toEqual(["160/4", "80/4", "40/4", "20/4", "0/4"]);
    const many = { ...input, candidates: Array.from({ length: 40 }, (_, i) => cand(`c${i}`, i % 10)), summaryChars: 0 };
    expect(shrinkLineup(many)!.candidates.map((c) => c.id)).toEqual(many.candidates.slice(0, 30).map((c) => c.id));
  });
});
