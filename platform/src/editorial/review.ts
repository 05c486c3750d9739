// Every verdict is a reviews row and a trace record: a small `review <role>` span carrying the
// `gen_ai.evaluation.result` event and `newsroom.review.*` attributes, so one TraceQL query
// (`{ span.newsroom.review.disagreement = true }`) finds every disagreement and overruling.
import { trace, type Attributes } from "@opentelemetry/api";
import type { Transaction } from "kysely";
import type { Database, NewReview } from "../db/schema.js";

const tracer = trace.getTracer("newsroom.review");

export interface ReviewRecord {
  id: string;
  editionId: string;
  storyId: string | null;
  scriptId: string | null;
  role: string;
  verdict: string;
  reason: string;
  evidence: unknown[];
  provider: string;
  model: string;
  camp: string;
  disagreement: boolean;
  overruledReason?: string | null;
}

/** Who gave a verdict that no model gave: the deterministic gates and rules. */
export const RULES = { provider: "newsroom", model: "rules", camp: "local" } as const;

export async function insertReviews(tx: Transaction<Database>, reviews: ReviewRecord[]): Promise<void> {
  if (!reviews.length) return;
  const rows: NewReview[] = reviews.map((r) => ({
    id: r.id,
    edition_id: r.editionId,
    story_id: r.storyId,
    script_id: r.scriptId,
    role: r.role,
    verdict: r.verdict,
    reason: r.reason,
    evidence: JSON.stringify(r.evidence),
    provider: r.provider,
    model: r.model,
    camp: r.camp,
    disagreement: r.disagreement,
    overruled_reason: r.overruledReason ?? null,
  }));
  // Redelivery after a crash before commit re-runs the handler; ids are deterministic.
  await tx.insertInto("reviews").values(rows).onConflict((oc) => oc.column("id").doNothing()).execute();
}

export function reviewAttributes(r: ReviewRecord): Attributes {
  const attrs: Attributes = {
    "newsroom.review.role": r.role,
    "newsroom.review.verdict": r.verdict,
    "newsroom.review.reason": r.reason,
    "newsroom.review.disagreement": r.disagreement,
    "newsroom.edition.id": r.editionId,
    "gen_ai.provider.name": r.provider,
    "gen_ai.request.model": r.model,
    "newsroom.camp": r.camp,
  };
  if (r.storyId) attrs["newsroom.story.id"] = r.storyId;
  if (r.scriptId) attrs["newsroom.script.id"] = r.scriptId;
  if (r.overruledReason) attrs["newsroom.review.overruled_reason"] = r.overruledReason;
  return attrs;
}

/** One span per verdict, child of whatever span is active (the consumer's). */
export function traceReviews(reviews: ReviewRecord[]): void {
  for (const r of reviews) {
    const span = tracer.startSpan(`review ${r.role}`, { attributes: reviewAttributes(r) });
    span.addEvent("gen_ai.evaluation.result", {
      "gen_ai.evaluation.name": r.role,
      "gen_ai.evaluation.score.label": r.verdict,
      "gen_ai.evaluation.explanation": r.reason,
    });
    span.end();
  }
}

/**
 * Sentences reviewers objected to, from their rows' evidence: every evidence item with a
 * `sentence` field (the fact checker's unsupported sentences, the injection gate's findings).
 * The writer leaves these out of the next version.
 */
export function objectedSentences(evidence: unknown[]): string[] {
  return evidence
    .map((e) => (e && typeof e === "object" && typeof (e as { sentence?: unknown }).sentence === "string" ? (e as { sentence: string }).sentence : ""))
    .filter(Boolean);
}
