// script.reviewed with decision APPROVE or DROP -> the show pass, when that settled the last
// story of the lineup. With decision REVISE -> the writer revises with the reviewers' reasons
// (objected sentences are left out), version + 1, `script.drafted` again. The arbiter bounds
// the loop (edition.max_revise_rounds), so this never asks itself whether to stop.
import { ReviewDecision } from "@newsroom/platform/events";
import type { Handler } from "@newsroom/platform/handler";
import type { ScriptLine } from "@newsroom/platform/db/schema";
import { loadCurrentScript } from "@newsroom/platform/editorial/material";
import { objectedSentences } from "@newsroom/platform/editorial/review";
import { editionSettings } from "@newsroom/platform/editorial/settings";
import { airTimeOf } from "@newsroom/platform/editorial/wording";
import type { EditorDeps } from "../deps.js";
import { draftScript } from "../draft.js";
import { showPassIfSettled, writeShowCopy } from "../show-pass.js";
import { namesByLanguage, showPlace } from "../show-place.js";
import { draftOrDrop, storeDraft } from "../store-draft.js";

export function onScriptReviewed(deps: EditorDeps): Handler<"script.reviewed"> {
  return async (event, ctx) => {
    if (event.decision === ReviewDecision.REVIEW_DECISION_APPROVE || event.decision === ReviewDecision.REVIEW_DECISION_DROP) {
      // The story is settled: if it was the last one, the show pass frames the edition (with the
      // headline editor's copy when a model writes it: written before the commit).
      const written = await writeShowCopy(ctx.db, deps.router(), deps.config, ctx.meta.editionId, { working: ctx.working });
      await ctx.commit(async (tx, emit) => void (await showPassIfSettled(tx, emit, deps.config, ctx.meta.editionId, written)));
      return;
    }
    if (event.decision !== ReviewDecision.REVIEW_DECISION_REVISE) return;
    const current = await loadCurrentScript(ctx.db, event.scriptId);
    if (!current || current.material.story.status !== "reviewing") return; // revised already, approved or dropped
    const { script, material } = current;
    const reviews = await ctx.db.selectFrom("reviews").select(["evidence"]).where("script_id", "=", script.id).execute();
    const settings = editionSettings(material.edition, deps.config.edition);
    const revision = {
      lines: script.lines as ScriptLine[],
      reasons: event.reasons,
      avoid: [...new Set(reviews.flatMap((r) => objectedSentences(r.evidence as unknown[])))],
    };
    const call = { editionId: material.edition.id, storyId: material.story.id, working: ctx.working, airTime: airTimeOf(material.edition, settings) };
    const place = await showPlace(ctx.db, material, settings);
    const draft = await draftOrDrop(ctx, material.story, () => draftScript({ router: deps.router(), settings, material, ctx: call, revision, place, anchorNames: namesByLanguage(deps.config, settings.anchors) }), deps);
    if (draft) await storeDraft(ctx, material.story, settings.language, script.version + 1, draft, deps);
  };
}
