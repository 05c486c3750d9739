import { describe, expect, it } from "vitest";
import { finalDecision, needsArbiter, reviewersDisagree, type ReviewerOutcome } from "./decide.js";
import type { GateVerdict } from "./gates.js";

const gate = (passed: boolean): GateVerdict => ({ gate: "truncation", passed, detail: passed ? "ok" : "ends mid-sentence", evidence: [] });
const rev = (role: ReviewerOutcome["role"], passed: boolean, overruled: string | null = null): ReviewerOutcome => ({ role, verdict: passed ? "ok" : "bad", passed, reason: "r", overruled, evidence: [], camp: "cn" });

describe("decision rules", () => {
  const allPass = [rev("fact_checker", true), rev("cross_reviewer", true), rev("freshness_judge", true)];
  it("approves without an arbiter when everything passed", () => {
    expect(needsArbiter([gate(true)], allPass)).toBe(false);
    expect(finalDecision([gate(true)], allPass, null, 0, 2).decision).toBe("approve");
    expect(reviewersDisagree(allPass)).toBe(false);
  });
  it("an overruled verdict is a disagreement", () => {
    expect(reviewersDisagree([rev("fact_checker", true), rev("freshness_judge", true, "no evidence")])).toBe(true);
  });
  it("no arbiter approves past a failed gate", () => {
    const f = finalDecision([gate(false)], allPass, { decision: "approve", reason: "fine" }, 0, 2);
    expect(f.decision).toBe("revise");
    expect(f.arbiterOverruled).toMatch(/truncation/);
  });
  it("a revision past the bound is a drop with the reason", () => {
    const f = finalDecision([gate(true)], [rev("fact_checker", false)], { decision: "revise", reason: "claims" }, 2, 2);
    expect(f.decision).toBe("drop");
    expect(f.reasons[0]).toMatch(/after 2 revise round/);
    expect(finalDecision([gate(true)], [rev("fact_checker", false)], { decision: "revise", reason: "claims" }, 1, 2).decision).toBe("revise");
  });
});
