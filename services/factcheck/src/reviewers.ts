// The three reviewers, at the same time, never of the writer's vendor (other camps first).
// A reviewer whose whole chain failed leaves the script unreviewed: it is reported, and the
// handler drops the story (trust nobody).
import type { Source } from "@newsroom/platform/db/schema";
import type { EditionConfig } from "@newsroom/platform/config/schema";
import type { EditionNote } from "@newsroom/platform/editorial/notes";
import { routerNotes } from "@newsroom/platform/editorial/notes";
import type { ReviewRecord } from "@newsroom/platform/editorial/review";
import type { SourceBrief } from "@newsroom/platform/editorial/sources";
import { ChainExhaustedError, ReviewIndependenceError, type CallContext, type Router, type TaskResult } from "@newsroom/platform/router/types";
import type { ReviewerOutcome } from "./decide.js";
import { RULES } from "@newsroom/platform/editorial/review";
import { freshByTimestamps, guardFreshness, type GuardFacts, type Guarded } from "./freshness-guard.js";
import { crossVerdict, factVerdict, freshVerdict, rowsFor, type ReviewRow, type Verdict } from "./review-rows.js";
import { crossReviewerTask } from "./roles/cross-reviewer.js";
import { factCheckerTask, type FactCheck } from "./roles/fact-checker.js";
import { groundingFacts } from "./gates.js";
import { ungrounded } from "./grounding.js";
import { isSupported, supportOf } from "@newsroom/platform/text/support";
import { freshnessJudgeTask, type FreshnessInput, type FreshnessVerdict } from "./roles/freshness-judge.js";
import { sourceSentences } from "./source-sentences.js";
import { reviewOrRules } from "./review-or-rules.js";
import { numberedSentences, type ScriptPart } from "./script-parts.js";

export interface ReviewSubject {
  script: { id: string; story_id: string | null; edition_id: string; headline: string | null };
  story: { id: string; title: string };
  parts: ScriptPart[];
  sources: SourceBrief[];
  /** Every source of the edition (for evidence the freshness judge may cite), with database dates. */
  editionSources: Pick<Source, "id" | "story_id" | "title" | "feed" | "feed_title" | "published_at">[];
  now: Date;
  settings: EditionConfig;
}

export interface Reviewed {
  outcomes: ReviewerOutcome[];
  rows: ReviewRecord[];
  notes: EditionNote[];
  /** Reviewers that could not be asked at all, with why (only the author's vendor in their chain). */
  unavailable: string[];
  /** Who gave each review (a model, or the deterministic rules when the chain could not be reached). */
  results: TaskResult<unknown>[];
}

export async function runReviewers(router: Router, call: CallContext, s: ReviewSubject): Promise<Reviewed> {
  const { settings, story, sources, parts } = s;
  const own = new Set(sources.map((x) => x.id));
  const freshnessInput: FreshnessInput = {
    language: settings.language,
    now: s.now.toISOString(),
    windowHours: settings.window_hours,
    story: { id: story.id, title: story.title },
    sources: sources.map((x) => ({ id: x.id, feed: x.feed, title: x.title, publishedAt: x.publishedAt })),
    related: s.editionSources
      .filter((x) => !own.has(x.id))
      .map((x) => ({ id: x.id, storyId: x.story_id, feed: x.feed_title ?? x.feed, title: x.title, publishedAt: new Date(x.published_at).toISOString() })),
  };
  const [facts, cross, fresh] = await Promise.allSettled([
    reviewOrRules(router, factCheckerTask, { language: settings.language, sentences: numberedSentences(parts), sources }, call),
    reviewOrRules(router, crossReviewerTask, { language: settings.language, headline: s.script.headline ?? story.title, parts, sources }, call),
    reviewOrRules(router, freshnessJudgeTask, freshnessInput, call),
  ]);

  const record = rowsFor(s.script);
  const out: Reviewed = { outcomes: [], rows: [], notes: [], unavailable: [], results: [] };
  const guardFacts: GuardFacts = {
    now: s.now,
    windowHours: settings.window_hours,
    storySources: sources.map((x) => ({ id: x.id, publishedAt: new Date(x.publishedAt) })),
    editionSources: s.editionSources.map((x) => ({ id: x.id, publishedAt: new Date(x.published_at) })),
    storySentences: [...parts.flatMap((p) => p.sentences), ...sourceSentences(sources, "en"), ...sourceSentences(sources, "zh")],
  };
  let freshGuard: Guarded | undefined;
  if (fresh.status === "fulfilled") {
    freshGuard = guardFreshness(fresh.value.output, guardFacts);
    // Rule (b): a fresh story is dropped as old or fake only when a reviewer of another camp agrees.
    if (freshGuard.upheld && fresh.value.output.verdict !== "fresh" && freshByTimestamps(guardFacts)) {
      const second = await secondCampOpinion(router, call, freshnessInput, fresh.value, guardFacts);
      if (second.row) out.rows.push(record(second.row, second.by));
      if (!second.agrees) freshGuard = { ...freshGuard, upheld: false, overruledReason: second.why };
    }
  }
  const settle = <T>(role: ReviewerOutcome["role"], settled: PromiseSettledResult<TaskResult<T>>, read: (r: TaskResult<T>) => Verdict) => {
    if (settled.status === "rejected") {
      if (!(settled.reason instanceof ChainExhaustedError) && !(settled.reason instanceof ReviewIndependenceError)) throw settled.reason;
      out.unavailable.push(`${role}: ${(settled.reason as Error).message}`);
      return;
    }
    out.results.push(settled.value);
    const v = read(settled.value);
    out.notes.push(...routerNotes(role, settled.value));
    out.outcomes.push({ role, verdict: v.verdict, passed: v.passed, reason: v.reason, overruled: v.overruled, evidence: v.evidence, camp: settled.value.camp });
    out.rows.push(record({ role, ...v }, settled.value));
  };
  settle("fact_checker", facts, (r) => factVerdict(r.output, groundedFlags(r.output.unsupported, parts, sources)));
  settle("cross_reviewer", cross, (r) => crossVerdict(r.output));
  settle("freshness_judge", fresh, (r) => freshVerdict(r.output, freshGuard!));
  return out;
}

/**
 * RULE: a fact checker's "unsupported" flag is overruled when the sentence's facts (numbers,
 * dates, names) are all in the sources and its content words match a source sentence in its
 * own language. Across languages only a model can judge, so such flags stand.
 */
function groundedFlags(flags: FactCheck["unsupported"], parts: ScriptPart[], sources: SourceBrief[]): FactCheck["unsupported"] {
  const known = groundingFacts(sources);
  return flags.filter((f) => {
    const part = parts.find((p) => p.sentences.includes(f.sentence.trim())) ?? parts.find((p) => p.text.includes(f.sentence.trim()));
    if (!part) return false; // not a sentence of this script: nothing to overrule
    const against = sourceSentences(sources, part.lang);
    return against.length > 0 && ungrounded(f.sentence, known).length === 0 && isSupported(supportOf(f.sentence, against));
  });
}

interface SecondOpinion {
  agrees: boolean;
  why: string;
  row?: ReviewRow;
  by: { provider: string; model: string; camp: string };
}

/** The freshness judge again, from a camp other than the accuser's; it agrees only with a verdict that also survives the guard. */
async function secondCampOpinion(router: Router, call: CallContext, input: FreshnessInput, accuser: TaskResult<FreshnessVerdict>, facts: GuardFacts): Promise<SecondOpinion> {
  const label = accuser.output.verdict === "old_news" ? '"old news"' : '"fake"';
  try {
    const r = await router.run(freshnessJudgeTask, input, {
      ...call,
      avoidVendors: [...(call.avoidVendors ?? []), accuser.vendor],
      avoidCamps: [accuser.camp],
      preferCamps: [], // the chain's own order: a real model of another camp before the offline rules
    });
    const guarded = guardFreshness(r.output, facts);
    const agrees = r.output.verdict !== "fresh" && guarded.upheld;
    return {
      agrees,
      why: `${label} overruled: the ${r.camp} camp (${r.provider}/${r.model}) does not agree (${r.output.verdict}${guarded.overruledReason ? `; ${guarded.overruledReason}` : ""}), and no single camp drops a fresh story`,
      row: { role: "freshness_second_camp", verdict: r.output.verdict, passed: !agrees, reason: r.output.reason, evidence: r.output.evidence, overruled: null },
      by: r,
    };
  } catch (err) {
    if (!(err instanceof ChainExhaustedError) && !(err instanceof ReviewIndependenceError)) throw err;
    return {
      agrees: false,
      why: `${label} overruled: no reviewer of another camp than the accuser's (${accuser.camp}) could confirm it (${err.message.slice(0, 200)}), and no single camp drops a fresh story`,
      by: RULES,
    };
  }
}
