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
import { guardFreshness } from "./freshness-guard.js";
import { crossVerdict, factVerdict, freshVerdict, rowsFor, type Verdict } from "./review-rows.js";
import { crossReviewerTask } from "./roles/cross-reviewer.js";
import { factCheckerTask } from "./roles/fact-checker.js";
import { freshnessJudgeTask } from "./roles/freshness-judge.js";
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
  /** Reviewers that could not be reached, with why. */
  unavailable: string[];
}

export async function runReviewers(router: Router, call: CallContext, s: ReviewSubject): Promise<Reviewed> {
  const { settings, story, sources, parts } = s;
  const own = new Set(sources.map((x) => x.id));
  const [facts, cross, fresh] = await Promise.allSettled([
    router.run(factCheckerTask, { language: settings.language, sentences: numberedSentences(parts), sources }, call),
    router.run(crossReviewerTask, { language: settings.language, headline: s.script.headline ?? story.title, parts, sources }, call),
    router.run(
      freshnessJudgeTask,
      {
        language: settings.language,
        now: s.now.toISOString(),
        windowHours: settings.window_hours,
        story: { id: story.id, title: story.title },
        sources: sources.map((x) => ({ id: x.id, feed: x.feed, title: x.title, publishedAt: x.publishedAt })),
        related: s.editionSources
          .filter((x) => !own.has(x.id))
          .map((x) => ({ id: x.id, storyId: x.story_id, feed: x.feed_title ?? x.feed, title: x.title, publishedAt: new Date(x.published_at).toISOString() })),
      },
      call,
    ),
  ]);

  const record = rowsFor(s.script);
  const out: Reviewed = { outcomes: [], rows: [], notes: [], unavailable: [] };
  const settle = <T>(role: ReviewerOutcome["role"], settled: PromiseSettledResult<TaskResult<T>>, read: (r: TaskResult<T>) => Verdict) => {
    if (settled.status === "rejected") {
      if (!(settled.reason instanceof ChainExhaustedError) && !(settled.reason instanceof ReviewIndependenceError)) throw settled.reason;
      out.unavailable.push(`${role}: ${(settled.reason as Error).message}`);
      return;
    }
    const v = read(settled.value);
    out.notes.push(...routerNotes(role, settled.value));
    out.outcomes.push({ role, verdict: v.verdict, passed: v.passed, reason: v.reason, overruled: v.overruled });
    out.rows.push(record({ role, ...v }, settled.value));
  };
  settle("fact_checker", facts, (r) => factVerdict(r.output));
  settle("cross_reviewer", cross, (r) => crossVerdict(r.output));
  settle("freshness_judge", fresh, (r) =>
    freshVerdict(
      r.output,
      guardFreshness(r.output, {
        now: s.now,
        windowHours: settings.window_hours,
        storySources: sources.map((x) => ({ id: x.id, publishedAt: new Date(x.publishedAt) })),
        editionSources: s.editionSources.map((x) => ({ id: x.id, publishedAt: new Date(x.published_at) })),
      }),
    ),
  );
  return out;
}
