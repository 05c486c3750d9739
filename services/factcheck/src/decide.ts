// From gates, reviews and the arbiter to one decision.
//
// RULES:
// - Every gate passed and every reviewer passed (fact checker: nothing unsupported; cross
//   reviewer: approve; freshness: fresh, or its verdict overruled) -> APPROVE, no arbiter.
// - Otherwise the arbiter decides. A failed gate turns its APPROVE into REVISE (recorded as
//   overruled): no model overrides a gate.
// - REVISE after `max_revise_rounds` revisions -> DROP, with the reasons.
// - Reviewers disagree when some passed and some did not; an overruled verdict, a gate that
//   failed where a reviewer passed, and an overruled arbiter are disagreements too.
import type { GateVerdict } from "./gates.js";
import type { ArbiterDecision } from "./roles/arbiter.js";

export type Decision = "approve" | "revise" | "drop";

export interface ReviewerOutcome {
  role: "fact_checker" | "cross_reviewer" | "freshness_judge";
  verdict: string;
  passed: boolean;
  reason: string;
  overruled: string | null;
  /** What the verdict cites (sources, sentences), shown to the arbiter. */
  evidence: unknown[];
  /** The reviewer's camp: the arbiter of an accusation is never of the accuser's camp. */
  camp: string;
}

/** Camps that accused the story (old news, fake, beyond repair): the arbiter must come from another. */
export function accuserCamps(reviewers: ReviewerOutcome[]): string[] {
  const accusing = reviewers.filter((r) => (r.role === "freshness_judge" && r.verdict !== "fresh") || (r.role === "cross_reviewer" && r.verdict === "drop"));
  return [...new Set(accusing.map((r) => r.camp))];
}

export function needsArbiter(gates: GateVerdict[], reviewers: ReviewerOutcome[]): boolean {
  return gates.some((g) => !g.passed) || reviewers.some((r) => !r.passed);
}

export function reviewersDisagree(reviewers: ReviewerOutcome[]): boolean {
  return new Set(reviewers.map((r) => r.passed)).size > 1 || reviewers.some((r) => r.overruled);
}

export interface Final {
  decision: Decision;
  /** Set when a rule changed the arbiter's decision. */
  arbiterOverruled: string | null;
  reasons: string[];
}

export function finalDecision(gates: GateVerdict[], reviewers: ReviewerOutcome[], arbiter: ArbiterDecision | null, round: number, maxRounds: number): Final {
  const objections = [
    ...gates.filter((g) => !g.passed).map((g) => `${g.gate} gate: ${g.detail}`),
    ...reviewers.filter((r) => !r.passed).map((r) => `${r.role} (${r.verdict}): ${r.reason}`),
    ...reviewers.filter((r) => r.overruled).map((r) => `${r.role}: ${r.overruled}`),
  ];
  if (!arbiter) return { decision: "approve", arbiterOverruled: null, reasons: objections };
  let decision: Decision = arbiter.decision;
  let arbiterOverruled: string | null = null;
  const failedGates = gates.filter((g) => !g.passed);
  if (decision === "approve" && failedGates.length) {
    decision = "revise";
    arbiterOverruled = `approval overruled: the ${failedGates.map((g) => g.gate).join(" and ")} gate(s) failed, and no model overrides a gate`;
  }
  const reasons = [...objections, `arbiter: ${arbiter.reason}`, ...(arbiterOverruled ? [arbiterOverruled] : [])];
  if (decision === "revise" && round >= maxRounds) {
    decision = "drop";
    reasons.unshift(`still failing review after ${round} revise round(s) (the limit is ${maxRounds})`);
  }
  return { decision, arbiterOverruled, reasons };
}
