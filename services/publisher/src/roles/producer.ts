// The producer: checks that an edition is complete and has it assembled. The flow, top down:
// 1. segment.voiced / story.dropped (below): load the edition's rows (../load.ts) and plan it
//    (../plan.ts: the parts in order, what is left out, whether anything is still pending).
// 2. Complete: ../publish.ts locks the edition row, re-checks, assembles and marks it published,
//    queuing edition.published in the same transaction.
// 3. ../assemble.ts writes the files: MP3 with chapter tags (../audio.ts, ../id3.ts), chapters,
//    transcript, edition.json, page, then the show's feed and front page.
// 4. Stories still missing at the deadline: ../sweeper.ts publishes what is ready (step 2 with
//    reason "deadline").
import type { LoadedConfig } from "@newsroom/platform/config/load";
import { PermanentError } from "@newsroom/platform/bus/types";
import { appendNotes, type EditionNote } from "@newsroom/platform/editorial/notes";
import { consume, type HandlerContext, type Registration } from "@newsroom/platform/handler";
import type { Logger } from "@newsroom/platform/log";
import type { AudioOptions } from "../audio.js";
import { EditionMissingError, loadEditionState } from "../load.js";
import { storyDroppedNote } from "../notes.js";
import { planEdition } from "../plan.js";
import { publishInTransaction, type PublishDeps, type PublishOutcome } from "../publish.js";

export interface PublisherDeps {
  config: LoadedConfig;
  outDir: string;
  log?: Logger;
  audio?: AudioOptions;
}

export function publisherHandlers(deps: PublisherDeps): Registration[] {
  const publish: PublishDeps = deps;
  return [
    consume("publisher", "segment.voiced", async (event, ctx) => {
      await publishIfComplete(ctx, publish);
    }),
    consume("publisher", "story.dropped", async (event, ctx) => {
      const storyId = ctx.meta.storyId;
      if (!storyId) throw new PermanentError("story.dropped without a story id");
      // The stage that dropped the story is only in this event: keep it for the page.
      await publishIfComplete(ctx, publish, storyDroppedNote(storyId, event.stage || "unknown", event.reason || "no reason given"));
    }),
  ] as Registration[];
}

async function publishIfComplete(ctx: HandlerContext, deps: PublishDeps, note?: EditionNote): Promise<void> {
  const editionId = ctx.meta.editionId;
  let complete: boolean;
  try {
    const state = await loadEditionState(ctx.db, editionId);
    if (state.edition.status === "published" || state.edition.status === "failed") return;
    complete = planEdition(state).complete;
  } catch (err) {
    if (err instanceof EditionMissingError) throw new PermanentError(err.message);
    throw err;
  }
  // Most events find the edition incomplete and need no transaction at all.
  if (!complete && !note) return;
  let outcome: PublishOutcome | undefined;
  if (complete) await ctx.progress("publish", "every story is in: assembling the MP3, chapters, transcript, feed and page");
  await ctx.commit(async (tx, emit) => {
    if (note) await appendNotes(tx, editionId, [note]);
    if (!complete) return;
    outcome = await publishInTransaction(tx, emit, deps, editionId, "complete", { onProgress: () => ctx.working() });
  });
  if (outcome?.status === "failed") await ctx.progress("publish", `edition failed: ${outcome.reason}`);
  if (outcome?.status === "published") {
    const { dir, storyCount, durationMs } = outcome.assembled;
    deps.log?.info("edition published", { edition: editionId, dir, stories: storyCount, durationMs });
    await ctx.progress("publish", `published ${storyCount} stories (${Math.round(durationMs / 1000)} s) in ${dir}`);
  }
}
