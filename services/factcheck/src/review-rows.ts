// Each verdict as a reviews row: what passed, what the writer must leave out next time
// (evidence items with a `sentence`), and who gave it.
import type { Script } from "@newsroom/platform/db/schema";
import { RULES, type ReviewRecord } from "@newsroom/platform/editorial/review";
import type { Guarded } from "./freshness-guard.js";
import type { GateVerdict } from "./gates.js";
import { BLOCKING_ISSUES, type CrossReview } from "./roles/cross-reviewer.js";
import type { FactCheck } from "./roles/fact-checker.js";
import type { FreshnessVerdict } from "./roles/freshness-judge.js";

export interface ReviewRow {
  role: string;
  verdict: string;
  passed: boolean;
  reason: string;
  evidence: unknown[];
  overruled: string | null;
  disagreement?: boolean;
}

export type Verdict = Omit<ReviewRow, "role">;

/** Rows for one script: ids are `<scriptId>.<role>`, so a re-run writes the same rows. */
export function rowsFor(script: Pick<Script, "id" | "story_id" | "edition_id">) {
  return (row: ReviewRow, by: { provider: string; model: string; camp: string }): ReviewRecord => ({
    id: `${script.id}.${row.role}`,
    editionId: script.edition_id,
    storyId: script.story_id,
    scriptId: script.id,
    role: row.role,
    verdict: row.verdict,
    reason: row.reason,
    evidence: row.evidence,
    provider: by.provider,
    model: by.model,
    camp: by.camp,
    disagreement: row.disagreement ?? false,
    overruledReason: row.overruled,
  });
}

/**
 * The fact checker's flags, less those code overruled (`overruled`: sentences whose facts all
 * appear in the sources). Only standing flags name a `sentence` the writer must leave out.
 */
export function factVerdict(out: FactCheck, overruled: FactCheck["unsupported"] = []): Verdict {
  const standing = out.unsupported.filter((u) => !overruled.includes(u));
  const passed = standing.length === 0;
  return {
    verdict: out.unsupported.length === 0 ? "supported" : "unsupported",
    passed,
    reason: out.unsupported.length === 0 ? out.reason : `${out.reason} Unsupported: ${out.unsupported.map((u) => `"${u.sentence}" (${u.why})`).join("; ")}`,
    evidence: [...standing.map((u) => ({ sentence: u.sentence, why: u.why })), ...overruled.map((u) => ({ quote: u.sentence, why: u.why, overruled: true }))],
    overruled: overruled.length
      ? `${overruled.length} of ${out.unsupported.length} "unsupported" flag(s) overruled: every number, date and name of ${overruled.map((u) => `"${u.sentence.slice(0, 80)}"`).join(", ")} is in the sources, and its words match a source sentence`
      : null,
  };
}

export function crossVerdict(out: CrossReview): Verdict {
  // Only blocking issues name a `sentence` for the writer to leave out; tone notes are quoted.
  const evidence = out.issues.map((i) => ({ kind: i.kind, detail: i.detail, ...(i.sentence ? { [BLOCKING_ISSUES.includes(i.kind) ? "sentence" : "quote"]: i.sentence } : {}) }));
  return { verdict: out.verdict, passed: out.verdict === "approve", reason: out.reason, evidence, overruled: null };
}

/** An overruled "old news" or "fake" passes: the story stays. */
export function freshVerdict(out: FreshnessVerdict, guarded: Guarded): Verdict {
  return {
    verdict: out.verdict,
    passed: out.verdict === "fresh" || !guarded.upheld,
    reason: out.reason,
    evidence: guarded.upheld ? guarded.evidence : out.evidence,
    overruled: guarded.overruledReason,
  };
}

/** A failed gate where a model reviewer passed the script is a disagreement worth finding. */
export function gateRow(g: GateVerdict, someReviewerPassed: boolean): ReviewRow & { by: typeof RULES } {
  return { role: `gate.${g.gate}`, verdict: g.passed ? "pass" : "fail", passed: g.passed, reason: g.detail, evidence: g.evidence, overruled: null, disagreement: !g.passed && someReviewerPassed, by: RULES };
}
