// A drafted script version goes to review: the scripts row, the story's state and the
// `script.drafted` event in one commit; a writer chain that failed entirely drops the story.
import { ScriptKind } from "@newsroom/platform/events";
import type { HandlerContext } from "@newsroom/platform/handler";
import type { Story } from "@newsroom/platform/db/schema";
import { dropStory } from "@newsroom/platform/editorial/drop";
import { appendNotes } from "@newsroom/platform/editorial/notes";
import { ChainExhaustedError } from "@newsroom/platform/router/types";
import type { EditorDeps } from "./deps.js";
import type { Draft } from "./draft.js";
import { showPassIfSettled, writeShowCopy } from "./show-pass.js";

export function storyScriptId(storyId: string, version: number): string {
  return `${storyId}.v${version}`;
}

export async function storeDraft(ctx: HandlerContext, story: Story, language: string, version: number, draft: Draft, deps: EditorDeps): Promise<void> {
  if (!draft.lines.length) return dropForWriter(ctx, story, "writer", "the writer returned no script", deps);
  const id = storyScriptId(story.id, version);
  await ctx.commit(async (tx, emit) => {
    await tx
      .insertInto("scripts")
      .values({
        id,
        edition_id: story.edition_id,
        story_id: story.id,
        kind: "story",
        version,
        language,
        headline: draft.headline,
        lines: JSON.stringify(draft.lines),
        provider: draft.author.provider,
        model: draft.author.model,
        camp: draft.author.camp,
        completion: draft.author.completion,
      })
      .execute();
    await tx.updateTable("stories").set({ status: "reviewing", headline: draft.headline }).where("id", "=", story.id).execute();
    await appendNotes(tx, story.edition_id, draft.notes);
    await emit("script.drafted", { scriptId: id, version, kind: ScriptKind.SCRIPT_KIND_STORY }, { editionId: story.edition_id, storyId: story.id, key: `drafted:${id}` });
  });
  await ctx.progress("writer", `script v${version} drafted (${draft.author.provider}/${draft.author.model})`, story.id);
}

/** Runs the drafting; a chain that failed entirely drops the story with the reason instead. */
export async function draftOrDrop(ctx: HandlerContext, story: Story, draft: () => Promise<Draft>, deps: EditorDeps): Promise<Draft | null> {
  try {
    return await draft();
  } catch (err) {
    if (!(err instanceof ChainExhaustedError)) throw err;
    await dropForWriter(ctx, story, err.role, err.message, deps);
    return null;
  }
}

/**
 * The story leaves the lineup; if it was the last one pending, the show pass runs in the same
 * commit (with the headline editor's copy, written first for the stories that then air).
 */
async function dropForWriter(ctx: HandlerContext, story: Story, stage: string, reason: string, deps: EditorDeps): Promise<void> {
  const written = await writeShowCopy(ctx.db, deps.router(), deps.config, story.edition_id, { working: ctx.working }, story.id);
  await ctx.commit(async (tx, emit) => {
    await dropStory(tx, emit, story, stage, reason);
    await showPassIfSettled(tx, emit, deps.config, story.edition_id, written);
  });
  await ctx.progress(stage, `dropped: ${reason.slice(0, 200)}`, story.id);
}
