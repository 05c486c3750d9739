import { describe, expect, it } from "vitest";
import type { Candidate } from "./candidates.js";
import { bordaMerge, pickDifference, validPicks } from "./merge.js";

const c = (id: string, hoursAgo: number, sourceCount: number): Candidate => ({
  id,
  title: id,
  summary: "",
  languages: ["en"],
  sourceCount,
  outlets: ["Wire"],
  firstPublished: new Date(Date.UTC(2025, 2, 10, 12 - hoursAgo)).toISOString(),
  latestPublished: new Date(Date.UTC(2025, 2, 10, 12 - hoursAgo)).toISOString(),
});
const candidates = [c("a", 1, 1), c("b", 5, 4), c("c", 3, 2), c("d", 2, 1)];

describe("Borda merge of two lineups", () => {
  it("adds points by position and breaks ties by recency, then source count", () => {
    // a: 3+0, b: 0+3, c: 1+2, d: 2+1 -> every total is 3; newest first: a (1h), d (2h), c (3h).
    expect(bordaMerge(3, [["a", "d", "c"], ["b", "c", "d"]], candidates)).toEqual(["a", "d", "c"]);
    expect(bordaMerge(2, [["a", "c"], ["c", "b"]], candidates)).toEqual(["c", "a"]);
  });
  it("keeps only real, distinct candidates and reports what each editor alone picked", () => {
    expect(validPicks({ picks: [{ id: "a", why: "" }, { id: "zz", why: "" }, { id: "a", why: "" }, { id: " b ", why: "" }], reason: "" }, candidates, 3)).toEqual(["a", "b"]);
    expect(pickDifference(["a", "b"], ["b", "c"])).toEqual({ onlyFirst: ["a"], onlySecond: ["c"] });
  });
});
