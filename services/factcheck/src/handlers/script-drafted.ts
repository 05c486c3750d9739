// script.drafted -> gates, then fact_checker, cross_reviewer and freshness_judge (never of the
// writer's vendor, other camps preferred), the freshness guard, the arbiter where needed, and
// one decision: `script.reviewed`, then `script.approved` or `story.dropped`. Every verdict is
// a reviews row and a traced evaluation. Trust nobody: an unreviewed script never airs.
import { CAMPS, type Camp } from "@newsroom/platform/config/schema";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import { ReviewDecision, ScriptKind } from "@newsroom/platform/events";
import type { Handler, HandlerContext } from "@newsroom/platform/handler";
import type { Script } from "@newsroom/platform/db/schema";
import { dropStory } from "@newsroom/platform/editorial/drop";
import { loadStoryMaterial, type StoryMaterial } from "@newsroom/platform/editorial/material";
import { appendNotes, routerNotes, type EditionNote } from "@newsroom/platform/editorial/notes";
import { insertReviews, RULES, traceReviews, type ReviewRecord } from "@newsroom/platform/editorial/review";
import { editionSettings } from "@newsroom/platform/editorial/settings";
import { sourceBrief } from "@newsroom/platform/editorial/sources";
import { ChainExhaustedError, ReviewIndependenceError, type CallContext, type Router, type TaskResult } from "@newsroom/platform/router/types";
import type { FactcheckDeps } from "../deps.js";
import { finalDecision, needsArbiter, reviewersDisagree, type Decision, type ReviewerOutcome } from "../decide.js";
import { guardFreshness } from "../freshness-guard.js";
import { runGates } from "../gates.js";
import { arbiterTask, type ArbiterDecision } from "../roles/arbiter.js";
import { BLOCKING_ISSUES, crossReviewerTask, type CrossReview } from "../roles/cross-reviewer.js";
import { factCheckerTask, type FactCheck } from "../roles/fact-checker.js";
import { freshnessJudgeTask, type FreshnessVerdict } from "../roles/freshness-judge.js";
import { numberedSentences, scriptParts } from "../script-parts.js";

const DECISION = { approve: ReviewDecision.REVIEW_DECISION_APPROVE, revise: ReviewDecision.REVIEW_DECISION_REVISE, drop: ReviewDecision.REVIEW_DECISION_DROP };

export function onScriptDrafted(deps: FactcheckDeps): Handler<"script.drafted"> {
  return async (event, ctx) => {
    if (event.kind !== ScriptKind.SCRIPT_KIND_STORY) return;
    const script = await ctx.db.selectFrom("scripts").selectAll().where("id", "=", event.scriptId).executeTakeFirst();
    if (!script?.story_id) return;
    const material = await loadStoryMaterial(ctx.db, script.story_id);
    if (material.story.status !== "reviewing") return; // approved or dropped already
    const newer = await ctx.db.selectFrom("scripts").select("id").where("story_id", "=", script.story_id).where("version", ">", script.version).executeTakeFirst();
    if (newer) return;
    await review(deps, ctx, script, material);
  };
}

async function review(deps: FactcheckDeps, ctx: HandlerContext, script: Script, material: StoryMaterial): Promise<void> {
  const { edition, story } = material;
  const settings = editionSettings(edition, deps.config.edition);
  const sources = material.sources.map(sourceBrief);
  const parts = scriptParts(script);
  const gates = runGates(parts, sources, settings);
  const router = deps.router();
  const reviewCall: CallContext = {
    editionId: edition.id,
    storyId: story.id,
    working: ctx.working,
    avoidVendors: [vendorOf(deps.config, script.provider)],
    preferCamps: CAMPS.filter((c): c is Camp => c !== script.camp),
  };
  const editionSources = await ctx.db.selectFrom("sources").select(["id", "story_id", "title", "feed", "feed_title", "published_at"]).where("edition_id", "=", edition.id).execute();
  const now = new Date(edition.now);

  const [facts, cross, fresh] = await Promise.allSettled([
    router.run(factCheckerTask, { language: settings.language, sentences: numberedSentences(parts), sources }, reviewCall),
    router.run(crossReviewerTask, { language: settings.language, headline: script.headline ?? story.title, parts, sources }, reviewCall),
    router.run(
      freshnessJudgeTask,
      {
        language: settings.language,
        now: now.toISOString(),
        windowHours: settings.window_hours,
        story: { id: story.id, title: story.title },
        sources: sources.map((s) => ({ id: s.id, feed: s.feed, title: s.title, publishedAt: s.publishedAt })),
        related: editionSources
          .filter((s) => s.story_id !== story.id)
          .map((s) => ({ id: s.id, storyId: s.story_id, feed: s.feed_title ?? s.feed, title: s.title, publishedAt: new Date(s.published_at).toISOString() })),
      },
      reviewCall,
    ),
  ]);

  const record = base(script, story.edition_id);
  const rows: ReviewRecord[] = [];
  const notes: EditionNote[] = [];
  const outcomes: ReviewerOutcome[] = [];
  const unavailable: string[] = [];
  const settle = <T>(role: ReviewerOutcome["role"], s: PromiseSettledResult<TaskResult<T>>, read: (r: TaskResult<T>) => Omit<ReviewRow, "role">) => {
    if (s.status === "rejected") {
      if (!(s.reason instanceof ChainExhaustedError) && !(s.reason instanceof ReviewIndependenceError)) throw s.reason;
      unavailable.push(`${role}: ${(s.reason as Error).message}`);
      return;
    }
    const row = { role, ...read(s.value) };
    notes.push(...routerNotes(role, s.value));
    outcomes.push({ role, verdict: row.verdict, passed: row.passed, reason: row.reason, overruled: row.overruled });
    rows.push(record(row, s.value));
  };
  settle("fact_checker", facts, (r) => factRow(r.output));
  settle("cross_reviewer", cross, (r) => crossRow(r.output));
  settle("freshness_judge", fresh, (r) =>
    freshRow(
      r.output,
      guardFreshness(r.output, {
        now,
        windowHours: settings.window_hours,
        storySources: material.sources.map((s) => ({ id: s.id, publishedAt: new Date(s.published_at) })),
        editionSources: editionSources.map((s) => ({ id: s.id, publishedAt: new Date(s.published_at) })),
      }),
    ),
  );

  const disagree = reviewersDisagree(outcomes);
  for (const r of rows) r.disagreement = disagree || !!r.overruledReason;
  for (const g of gates)
    rows.push(
      record(
        { role: `gate.${g.gate}`, verdict: g.passed ? "pass" : "fail", passed: g.passed, reason: g.detail, evidence: g.evidence, overruled: null, disagreement: !g.passed && outcomes.some((o) => o.passed) },
        RULES,
      ),
    );

  const round = script.version - 1;
  let decision: Decision;
  let reasons: string[];
  if (unavailable.length) {
    decision = "drop";
    reasons = [`could not be reviewed: ${unavailable.join("; ").slice(0, 600)}`];
  } else {
    let arbiter: TaskResult<ArbiterDecision> | null = null;
    if (needsArbiter(gates, outcomes)) {
      try {
        arbiter = await router.run(
          arbiterTask,
          {
            language: settings.language,
            round,
            maxRounds: settings.max_revise_rounds,
            reviews: outcomes.map((o) => ({ role: o.role, verdict: o.verdict, passed: o.passed, reason: o.reason, overruled: o.overruled })),
            gates: gates.map((g) => ({ gate: g.gate, passed: g.passed, detail: g.detail })),
          },
          { editionId: edition.id, storyId: story.id, working: ctx.working },
        );
      } catch (err) {
        if (!(err instanceof ChainExhaustedError)) throw err;
        unavailable.push(`arbiter: ${err.message}`);
      }
    }
    if (unavailable.length) {
      decision = "drop";
      reasons = [`could not be reviewed: ${unavailable.join("; ").slice(0, 600)}`];
    } else {
      const final = finalDecision(gates, outcomes, arbiter?.output ?? null, round, settings.max_revise_rounds);
      ({ decision, reasons } = final);
      if (arbiter) {
        notes.push(...routerNotes("arbiter", arbiter));
        rows.push(
          record(
            {
              role: "arbiter",
              verdict: arbiter.output.decision,
              passed: arbiter.output.decision === "approve",
              reason: arbiter.output.reason,
              evidence: [{ final: decision, round, maxRounds: settings.max_revise_rounds }],
              overruled: final.arbiterOverruled,
              disagreement: disagree || !!final.arbiterOverruled,
            },
            arbiter,
          ),
        );
      }
    }
  }

  await ctx.commit(async (tx, emit) => {
    await insertReviews(tx, rows);
    await appendNotes(tx, edition.id, notes);
    const ids = { editionId: edition.id, storyId: story.id };
    await emit("script.reviewed", { scriptId: script.id, version: script.version, decision: DECISION[decision], reasons }, { ...ids, key: `reviewed:${script.id}` });
    if (decision === "approve") {
      await tx.updateTable("stories").set({ status: "approved" }).where("id", "=", story.id).execute();
      await emit("script.approved", { scriptId: script.id, version: script.version, kind: ScriptKind.SCRIPT_KIND_STORY }, { ...ids, key: `approved:${story.id}` });
    } else if (decision === "drop") {
      await dropStory(tx, emit, story, "factcheck", reasons.join(" | ").slice(0, 1000));
    }
  });
  traceReviews(rows);
  await ctx.progress("factcheck", `v${script.version}: ${decision}${reasons.length ? ` (${reasons[0].slice(0, 160)})` : ""}`, story.id);
}

interface ReviewRow {
  role: string;
  verdict: string;
  passed: boolean;
  reason: string;
  evidence: unknown[];
  overruled: string | null;
  disagreement?: boolean;
}

function base(script: Script, editionId: string) {
  return (row: ReviewRow, by: { provider: string; model: string; camp: string }): ReviewRecord => ({
    id: `${script.id}.${row.role}`,
    editionId,
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

function factRow(out: FactCheck): Omit<ReviewRow, "role"> {
  const passed = out.unsupported.length === 0;
  return {
    verdict: passed ? "supported" : "unsupported",
    passed,
    reason: passed ? out.reason : `${out.reason} Unsupported: ${out.unsupported.map((u) => `"${u.sentence}" (${u.why})`).join("; ")}`,
    evidence: out.unsupported.map((u) => ({ sentence: u.sentence, why: u.why })),
    overruled: null,
  };
}

function crossRow(out: CrossReview): Omit<ReviewRow, "role"> {
  // Only blocking issues name a `sentence` for the writer to leave out; tone notes are quoted.
  const evidence = out.issues.map((i) => ({ kind: i.kind, detail: i.detail, ...(i.sentence ? { [BLOCKING_ISSUES.includes(i.kind) ? "sentence" : "quote"]: i.sentence } : {}) }));
  return { verdict: out.verdict, passed: out.verdict === "approve", reason: out.reason, evidence, overruled: null };
}

function freshRow(out: FreshnessVerdict, guarded: ReturnType<typeof guardFreshness>): Omit<ReviewRow, "role"> {
  return {
    verdict: out.verdict,
    passed: out.verdict === "fresh" || !guarded.upheld,
    reason: out.reason,
    evidence: guarded.upheld ? guarded.evidence : out.evidence,
    overruled: guarded.overruledReason,
  };
}

function vendorOf(config: LoadedConfig, provider: string): string {
  return config.providers[provider]?.vendor ?? provider;
}
