import { describe, expect, it } from "vitest";
import type { TaskResult } from "@newsroom/platform/router/types";
import type { Candidate, LineupOpinion } from "./candidates.js";
import { couldBeMoreIndependent, withCandidateIds } from "./opinions.js";

const c = (id: string): Candidate => ({ id, title: id, summary: "", languages: ["en"], sourceCount: 1, outlets: ["Wire"], firstPublished: "", latestPublished: "" });
const result = (picks: string[]): TaskResult<LineupOpinion> => ({
  output: { picks: picks.map((id) => ({ id, why: "w" })), reason: "r" },
  provider: "p",
  model: "m",
  vendor: "v",
  camp: "us",
  completion: "whole",
  offline: false,
});

describe("two independent opinions", () => {
  it("each editor's numbers map back through the order it was shown; a number it was not shown names nothing", () => {
    const chiefSaw = { candidates: [c("s3"), c("s1"), c("s2")] };
    const deputySaw = { candidates: [c("s2"), c("s3"), c("s1")] };
    expect(withCandidateIds(result(["1", "story 2"]), chiefSaw)!.output.picks.map((p) => p.id)).toEqual(["s3", "s1"]);
    expect(withCandidateIds(result(["1", "story 2"]), deputySaw)!.output.picks.map((p) => p.id)).toEqual(["s2", "s3"]);
    expect(withCandidateIds(result(["s1", "9"]), chiefSaw)!.output.picks).toEqual([
      { id: "s1", why: "w" },
      { id: "", why: '(not a candidate: "9") w' },
    ]);
    expect(withCandidateIds(null, chiefSaw)).toBeNull();
  });

  it("the deputy is asked again only when it shares the chief's vendor or camp and its chain has a model that would not", () => {
    const chief = { vendor: "deepseek", camp: "cn" as const };
    const chain = [
      { vendor: "xai", camp: "us" as const },
      { vendor: "deepseek", camp: "cn" as const },
      { vendor: "offline", camp: "local" as const },
    ];
    expect(couldBeMoreIndependent(chief, { vendor: "xai", camp: "us" }, chain)).toBe(false);
    expect(couldBeMoreIndependent(chief, { vendor: "deepseek", camp: "cn" }, chain)).toBe(true);
    expect(couldBeMoreIndependent(chief, { vendor: "qwen", camp: "cn" }, chain)).toBe(true);
    expect(couldBeMoreIndependent(chief, { vendor: "qwen", camp: "cn" }, [{ vendor: "qwen", camp: "cn" }])).toBe(false);
    // The embedded default: one offline provider for both editors, nothing else to ask.
    expect(couldBeMoreIndependent({ vendor: "offline", camp: "local" }, { vendor: "offline", camp: "local" }, [{ vendor: "offline", camp: "local" }])).toBe(false);
  });
});
