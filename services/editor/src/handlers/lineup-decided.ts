// lineup.decided -> the story's first script (writer, translator, headline_editor), then
// `script.drafted`. Each story is handled on its own: no barrier across the lineup.
import type { Handler } from "@newsroom/platform/handler";
import { loadStoryMaterial } from "@newsroom/platform/editorial/material";
import { editionSettings } from "@newsroom/platform/editorial/settings";
import { airTimeOf } from "@newsroom/platform/editorial/wording";
import type { EditorDeps } from "../deps.js";
import { draftScript } from "../draft.js";
import { namesByLanguage, showPlace } from "../show-place.js";
import { draftOrDrop, storeDraft } from "../store-draft.js";

export function onLineupDecided(deps: EditorDeps): Handler<"lineup.decided"> {
  return async (event, ctx) => {
    const material = await loadStoryMaterial(ctx.db, event.meta!.storyId);
    if (material.story.status !== "selected") return; // already drafted or dropped
    const settings = editionSettings(material.edition, deps.config.edition);
    const call = { editionId: material.edition.id, storyId: material.story.id, working: ctx.working, airTime: airTimeOf(material.edition, settings) };
    const place = await showPlace(ctx.db, material, settings);
    const draft = await draftOrDrop(ctx, material.story, () => draftScript({ router: deps.router(), settings, material, ctx: call, place, anchorNames: namesByLanguage(deps.config, settings.anchors) }), deps);
    if (draft) await storeDraft(ctx, material.story, settings.language, 1, draft, deps);
  };
}
