// corrections_desk: decides a listener's report on an aired story. Code decides, as in every
// other review here; the models give their reading, which is stored beside the decision.
//
// RULES:
// - "old news": timestamps decide freshness. When every source of the story is dated inside the
//   edition's window, the report is rejected with those dates; when some source is older than the
//   window, it is upheld.
// - "wrong fact": upheld only when the sources contradict an aired figure: a script sentence has
//   a number no source gives (grounding.ts), and a source sentence on the same subject (content
//   words, text/support.ts) gives another number; or a newer source (a later edition's report on
//   the same story) gives, on the same subject, another number and not the aired one. The fact checker and the cross reviewer,
//   of two different camps, read the aired script against the same sources.
// - "cut off" / "audio problem": the voice service's completeness checks run again on the aired
//   audio (voice/completeness.ts); a segment that fails them upholds the report.
// - "other": no rule decides it; it waits for an operator (`newsroom reports decide`).
import type { LoadedConfig } from "@newsroom/platform/config/load";
import { CAMPS, type Camp, type EditionConfig } from "@newsroom/platform/config/schema";
import type { Edition, Report, Script, Segment, Source } from "@newsroom/platform/db/schema";
import { RULES, type ReviewRecord } from "@newsroom/platform/editorial/review";
import { correctionFor, type ReportDecision } from "@newsroom/platform/editorial/reports";
import { sourceBrief, type SourceBrief } from "@newsroom/platform/editorial/sources";
import { ChainExhaustedError, ReviewIndependenceError, type CallContext, type Router, type TaskResult } from "@newsroom/platform/router/types";
import { supportOf, SUPPORTED_AT } from "@newsroom/platform/text/support";
import { checkAudio } from "@newsroom/voice/completeness";
import { pcmFromBytes } from "@newsroom/voice/pcm";
import type { TtsKind } from "@newsroom/voice/providers/types";
import { freshByTimestamps } from "../freshness-guard.js";
import { factsIn, sourceFacts, ungrounded } from "../grounding.js";
import { numberedSentences, scriptParts } from "../script-parts.js";
import { sourceSentences } from "../source-sentences.js";
import { crossReviewerTask } from "./cross-reviewer.js";
import { factCheckerTask } from "./fact-checker.js";

export interface DeskCase {
  report: Report;
  edition: Edition;
  headline: string;
  /** The script that aired. */
  script: Script;
  /** The story's own sources. */
  sources: Source[];
  /** Sources of the same story in later editions (same cluster or same article). */
  newer: Source[];
  /** The aired audio of the script, in order. */
  segments: Pick<Segment, "id" | "seq" | "text" | "provider" | "pcm" | "sample_rate">[];
  settings: EditionConfig;
}

/** A decision, or null: the report waits for an operator. */
export interface DeskOutcome {
  decision: ReportDecision | null;
  /** Why it waits, when it does. */
  pending?: string;
  /** The models' readings (and the rules'), as review rows on the story. */
  reviews: ReviewRecord[];
}

export async function decideReport(c: DeskCase, router: Router, config: LoadedConfig, call: CallContext): Promise<DeskOutcome> {
  switch (c.report.kind) {
    case "old_news":
      return { decision: oldNews(c, config), reviews: [] };
    case "wrong_fact":
      return wrongFact(c, router, config, call);
    case "cut_off":
    case "audio_problem":
      return audio(c, config);
    default:
      return { decision: null, pending: 'no rule decides an "other" report: it waits for an operator (newsroom reports decide)', reviews: [] };
  }
}

const iso = (d: Date | string) => new Date(d).toISOString().slice(0, 16).replace("T", " ") + " UTC";

function oldNews(c: DeskCase, config: LoadedConfig): ReportDecision {
  const now = new Date(c.edition.now);
  const hours = c.settings.window_hours;
  const dated = c.sources.map((s) => ({ id: s.id, publishedAt: new Date(s.published_at) })).sort((a, b) => +a.publishedAt - +b.publishedAt);
  if (!dated.length) return { status: "rejected", reason: "the story has no stored sources to date it by", decidedBy: "corrections_desk", correction: null };
  const span = `${iso(dated[0].publishedAt)} to ${iso(dated.at(-1)!.publishedAt)}`;
  if (freshByTimestamps({ now, windowHours: hours, storySources: dated }))
    return {
      status: "rejected",
      reason: `not old news: all ${dated.length} source(s) of the story are dated ${span}, inside the ${hours}-hour window before the edition (${iso(now)}); the source timestamps decide freshness`,
      decidedBy: "corrections_desk",
      correction: null,
    };
  const start = now.getTime() - hours * 3_600_000;
  const old = dated.filter((s) => s.publishedAt.getTime() < start);
  return {
    status: "upheld",
    reason: `old news: ${old.length} of ${dated.length} source(s) are dated before the ${hours}-hour window opened (${iso(new Date(start))}), the oldest ${iso(old[0].publishedAt)}`,
    decidedBy: "corrections_desk",
    correction: correctionFor(c.edition, config.edition, c.headline, { kind: "old_news", oldest: old[0].publishedAt.toISOString().slice(0, 10) }),
  };
}

export interface Contradiction {
  sentence: string;
  aired: string;
  sourceSentence: string;
  sourceFigure: string;
  /** True when a newer source (a later report on the story) revised a figure the story's own sources gave. */
  newer: boolean;
}

/**
 * Aired figures the sources contradict: a number no source gives, where a source sentence on the
 * same subject gives another; or a figure the story's sources gave that a newer source on the
 * same subject gives differently (without the aired figure).
 */
export function contradictedFigures(script: Pick<Script, "lines" | "language">, sources: SourceBrief[], newer: SourceBrief[] = []): Contradiction[] {
  const all = [...sources, ...newer];
  const known = sourceFacts(all.flatMap((s) => [s.title, s.text]));
  const out: Contradiction[] = [];
  for (const part of scriptParts(script)) {
    const against = sourceSentences(all, part.lang);
    const later = sourceSentences(newer, part.lang);
    for (const sentence of part.sentences) {
      const figures = factsIn(sentence).filter((f) => f.kind === "number");
      const missing = ungrounded(sentence, known).filter((f) => f.kind === "number");
      const found = missing.length ? sameSubjectOtherFigure(sentence, missing, against) : later.length && figures.length ? sameSubjectOtherFigure(sentence, figures, later) : undefined;
      if (found) out.push({ sentence, ...found, newer: !missing.length });
    }
  }
  return out;
}

/** A source sentence about the same thing as `sentence` (its words less the figures) that leaves out some of the figures and gives another instead. */
function sameSubjectOtherFigure(sentence: string, figures: { text: string; key: string }[], against: string[]): { aired: string; sourceSentence: string; sourceFigure: string } | undefined {
  if (!against.length) return undefined;
  const words = figures.reduce((s, f) => s.replace(f.text, " "), sentence);
  const support = supportOf(words, against);
  if (support.best < 0 || support.score < SUPPORTED_AT) return undefined;
  const aired = new Set(factsIn(sentence).map((f) => f.key));
  for (const src of [against[support.best], against[support.best + 1]].filter(Boolean)) {
    const facts = factsIn(src).filter((f) => f.kind === "number");
    const given = new Set(facts.map((f) => f.key));
    // Figures the source also says are confirmed, not contradicted.
    const unsaid = figures.filter((f) => !given.has(f.key));
    const other = facts.filter((f) => !aired.has(f.key));
    if (unsaid.length && other.length) return { aired: unsaid.map((f) => f.text).join(", "), sourceSentence: src, sourceFigure: other.map((f) => f.text).join(", ") };
  }
  return undefined;
}

async function wrongFact(c: DeskCase, router: Router, config: LoadedConfig, call: CallContext): Promise<DeskOutcome> {
  const sources = [...c.sources, ...c.newer].map(sourceBrief);
  const parts = scriptParts(c.script);
  const reviews: ReviewRecord[] = [];
  const record = (role: string, verdict: string, reason: string, evidence: unknown[], by: { provider: string; model: string; camp: string }): ReviewRecord => ({
    id: `${c.report.id}.${role}`,
    editionId: c.edition.id,
    storyId: c.report.story_id,
    scriptId: c.script.id,
    role: `corrections_desk.${role}`,
    verdict,
    reason,
    evidence,
    provider: by.provider,
    model: by.model,
    camp: by.camp,
    disagreement: false,
  });

  // Two camps: the fact checker from another camp than the writer's, the cross reviewer from yet another.
  const others = CAMPS.filter((k): k is Camp => k !== c.script.camp);
  const facts = await ask(() => router.run(factCheckerTask, { language: c.settings.language, sentences: numberedSentences(parts), sources }, { ...call, preferCamps: others }));
  if (facts.ok) {
    const flags = facts.result.output.unsupported;
    reviews.push(record("fact_checker", flags.length ? "unsupported" : "supported", facts.result.output.reason, flags, facts.result));
  } else reviews.push(record("fact_checker", "unavailable", facts.why, [], RULES));
  const crossCamps = others.filter((k) => !facts.ok || k !== facts.result.camp);
  const cross = await ask(() =>
    router.run(crossReviewerTask, { language: c.settings.language, headline: c.headline, parts, sources }, { ...call, preferCamps: crossCamps, avoidCamps: facts.ok && facts.result.camp !== "local" ? [facts.result.camp] : [] }),
  );
  if (cross.ok) reviews.push(record("cross_reviewer", String((cross.result.output as { verdict?: unknown }).verdict ?? "reviewed"), String((cross.result.output as { reason?: unknown }).reason ?? ""), [], cross.result));
  else reviews.push(record("cross_reviewer", "unavailable", cross.why, [], RULES));

  const found = contradictedFigures(c.script, c.sources.map(sourceBrief), c.newer.map(sourceBrief));
  const newerNote = c.newer.length ? ` and ${c.newer.length} newer source(s)` : "";
  reviews.push(record("grounding", found.length ? "contradicted" : "not_contradicted", found.length ? "the sources contradict an aired figure" : "no source contradicts an aired figure", found, RULES));
  if (!found.length) {
    const flagged = facts.ok && facts.result.output.unsupported.length ? `; the fact checker flagged ${facts.result.output.unsupported.length} sentence(s), which an operator may look at` : "";
    return {
      decision: {
        status: "rejected",
        reason: `not upheld: no figure of the aired script (version ${c.report.script_version}) is contradicted by the story's ${c.sources.length} source(s)${newerNote}${flagged}`,
        decidedBy: "corrections_desk",
        correction: null,
      },
      reviews,
    };
  }
  const first = found[0];
  return {
    decision: {
      status: "upheld",
      reason: `the sources contradict the aired figure: "${first.sentence}" said ${first.aired}; ${first.newer ? "a newer source" : "a source"} says "${first.sourceSentence}" (${first.sourceFigure})${found.length > 1 ? ` (+${found.length - 1} more)` : ""}`,
      decidedBy: "corrections_desk",
      correction: correctionFor(c.edition, config.edition, c.headline, { kind: "figure", aired: first.aired, sources: first.sourceFigure, newer: first.newer }),
    },
    reviews,
  };
}

type Asked<T> = { ok: true; result: TaskResult<T> } | { ok: false; why: string };

async function ask<T>(run: () => Promise<TaskResult<T>>): Promise<Asked<T>> {
  try {
    return { ok: true, result: await run() };
  } catch (err) {
    if (!(err instanceof ChainExhaustedError) && !(err instanceof ReviewIndependenceError)) throw err;
    return { ok: false, why: `no model could be asked: ${err.message.slice(0, 200)}` };
  }
}

function audio(c: DeskCase, config: LoadedConfig): DeskOutcome {
  if (!c.segments.length)
    return { decision: null, pending: "the aired audio is not stored (segments were removed), so the completeness checks could not run again: it waits for an operator", reviews: [] };
  const kindOf = (provider: string): TtsKind => (config.tts_providers[provider]?.kind ?? "local") as TtsKind;
  const failed = c.segments
    .map((s) => ({ seq: s.seq, verdict: checkAudio({ pcm: pcmFromBytes(new Uint8Array(s.pcm)), sampleRate: s.sample_rate }, s.text, kindOf(s.provider)) }))
    .filter((s) => !s.verdict.ok);
  const label = c.report.kind === "cut_off" ? "cut off" : "audio problem";
  if (!failed.length)
    return {
      decision: {
        status: "rejected",
        reason: `${label} not confirmed: the completeness checks passed on all ${c.segments.length} aired segment(s) of script version ${c.report.script_version} (none empty, silent or cut off)`,
        decidedBy: "corrections_desk",
        correction: null,
      },
      reviews: [],
    };
  const why = failed.map((f) => `segment ${f.seq}: ${f.verdict.ok ? "" : f.verdict.message}`).join("; ");
  return {
    decision: {
      status: "upheld",
      reason: `${label} confirmed by the completeness checks: ${why}`,
      decidedBy: "corrections_desk",
      correction: correctionFor(c.edition, config.edition, c.headline, { kind: "audio" }),
    },
    reviews: [],
  };
}
