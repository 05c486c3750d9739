// script.drafted -> gates, the three reviewers (reviewers.ts), the arbiter where anything
// failed, and one decision (decide.ts): `script.reviewed`, then `script.approved` or
// `story.dropped`. Every verdict is a reviews row and a traced evaluation.
import { CAMPS, type Camp } from "@newsroom/platform/config/schema";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import { ReviewDecision, ScriptKind } from "@newsroom/platform/events";
import type { Handler, HandlerContext } from "@newsroom/platform/handler";
import type { Script } from "@newsroom/platform/db/schema";
import { dropStory } from "@newsroom/platform/editorial/drop";
import { loadCurrentScript, type StoryMaterial } from "@newsroom/platform/editorial/material";
import { appendNotes, routerNotes } from "@newsroom/platform/editorial/notes";
import { insertReviews, RULES, traceReviews } from "@newsroom/platform/editorial/review";
import { editionSettings } from "@newsroom/platform/editorial/settings";
import { airTimeOf } from "@newsroom/platform/editorial/wording";
import { sourceBrief } from "@newsroom/platform/editorial/sources";
import { ChainExhaustedError, type TaskResult } from "@newsroom/platform/router/types";
import type { FactcheckDeps } from "../deps.js";
import { accuserCamps, finalDecision, needsArbiter, reviewersDisagree, type Decision } from "../decide.js";
import { runGates } from "../gates.js";
import { gateRow, rowsFor } from "../review-rows.js";
import { runReviewers } from "../reviewers.js";
import { campsWithout, reviewOrRules } from "../review-or-rules.js";
import { markReviewedWithout, withoutRow } from "../reviewed-without.js";
import { arbiterTask, type ArbiterDecision } from "../roles/arbiter.js";
import { scriptParts, scriptText } from "../script-parts.js";

const DECISION = { approve: ReviewDecision.REVIEW_DECISION_APPROVE, revise: ReviewDecision.REVIEW_DECISION_REVISE, drop: ReviewDecision.REVIEW_DECISION_DROP };

export function onScriptDrafted(deps: FactcheckDeps): Handler<"script.drafted"> {
  return async (event, ctx) => {
    if (event.kind !== ScriptKind.SCRIPT_KIND_STORY) return;
    const current = await loadCurrentScript(ctx.db, event.scriptId);
    if (!current || current.material.story.status !== "reviewing") return; // superseded, approved or dropped already
    await review(deps, ctx, current.script, current.material);
  };
}

async function review(deps: FactcheckDeps, ctx: HandlerContext, script: Script, material: StoryMaterial): Promise<void> {
  const { edition, story } = material;
  const settings = editionSettings(edition, deps.config.edition);
  const sources = material.sources.map(sourceBrief);
  const parts = scriptParts(script);
  const gates = runGates(parts, sources, settings);
  const router = deps.router();
  const editionSources = await ctx.db.selectFrom("sources").select(["id", "story_id", "title", "feed", "feed_title", "published_at"]).where("edition_id", "=", edition.id).execute();
  const { outcomes, rows, notes, unavailable, results } = await runReviewers(
    router,
    {
      editionId: edition.id,
      storyId: story.id,
      working: ctx.working,
      airTime: airTimeOf(edition, settings),
      avoidVendors: [vendorOf(deps.config, script.provider)],
      preferCamps: CAMPS.filter((c): c is Camp => c !== script.camp),
    },
    { script, story, parts, sources, editionSources, now: new Date(edition.now), settings },
  );

  const disagree = reviewersDisagree(outcomes);
  for (const r of rows) r.disagreement = disagree || !!r.overruledReason;
  const record = rowsFor(script);
  for (const g of gates) {
    const { by, ...row } = gateRow(g, outcomes.some((o) => o.passed));
    rows.push(record(row, by));
  }

  const round = script.version - 1;
  let arbiter: TaskResult<ArbiterDecision> | null = null;
  if (!unavailable.length && needsArbiter(gates, outcomes)) {
    try {
      arbiter = await reviewOrRules(
        router,
        arbiterTask,
        {
          language: settings.language,
          round,
          maxRounds: settings.max_revise_rounds,
          script: scriptText(parts),
          sources,
          reviews: outcomes.map((o) => ({ role: o.role, verdict: o.verdict, passed: o.passed, reason: o.reason, overruled: o.overruled, evidence: o.evidence, camp: o.camp })),
          gates: gates.map((g) => ({ gate: g.gate, passed: g.passed, detail: g.detail })),
        },
        // Rule (c): the arbiter of an accusation is of another camp than the accuser.
        { editionId: edition.id, storyId: story.id, working: ctx.working, airTime: airTimeOf(edition, settings), avoidCamps: accuserCamps(outcomes) as Camp[] },
      );
    } catch (err) {
      if (!(err instanceof ChainExhaustedError)) throw err;
      unavailable.push(`arbiter: ${err.message}`);
    }
  }

  // One camp down: the story airs, saying which camp's review it went without.
  const without = campsWithout([...results, ...(arbiter ? [arbiter] : [])]);
  if (without.length) rows.push(record(withoutRow(without), RULES));

  let decision: Decision;
  let reasons: string[];
  if (unavailable.length) {
    // Trust nobody: a script some reviewer could not see never airs.
    decision = "drop";
    reasons = [`could not be reviewed: ${unavailable.join("; ").slice(0, 600)}`];
  } else {
    const final = finalDecision(gates, outcomes, arbiter?.output ?? null, round, settings.max_revise_rounds);
    ({ decision, reasons } = final);
    if (arbiter) {
      notes.push(...routerNotes("arbiter", arbiter));
      const out = arbiter.output;
      rows.push(
        record(
          {
            role: "arbiter",
            verdict: out.decision,
            passed: out.decision === "approve",
            reason: out.reason,
            evidence: [{ final: decision, round, maxRounds: settings.max_revise_rounds }],
            overruled: final.arbiterOverruled,
            disagreement: disagree || !!final.arbiterOverruled,
          },
          arbiter,
        ),
      );
    }
  }

  await ctx.commit(async (tx, emit) => {
    await insertReviews(tx, rows);
    await appendNotes(tx, edition.id, notes);
    const ids = { editionId: edition.id, storyId: story.id };
    await emit("script.reviewed", { scriptId: script.id, version: script.version, decision: DECISION[decision], reasons }, { ...ids, key: `reviewed:${script.id}` });
    if (without.length) await markReviewedWithout(tx, story.id, without);
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

function vendorOf(config: LoadedConfig, provider: string): string {
  return config.providers[provider]?.vendor ?? provider;
}
