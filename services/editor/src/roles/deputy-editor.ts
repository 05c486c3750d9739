// deputy_editor: a second opinion on the lineup, from another vendor and camp than the
// editor-in-chief. It sees the first opinion and may disagree.
import type { StructuredTask } from "@newsroom/platform/router/types";
import { systemPrompt } from "@newsroom/platform/editorial/wording";
import { byClusterSize, candidateBlocks, checkLineup, HANDLE_RULE, lineupSchema, pickHandles, shrinkLineup, type LineupInput, type LineupOpinion } from "../lineup/candidates.js";
import { offlineLineup } from "./editor-in-chief.js";

export interface SecondOpinionInput extends LineupInput {
  firstOpinion: LineupOpinion;
}

export const deputyEditorTask: StructuredTask<SecondOpinionInput, LineupOpinion> = {
  name: "second_opinion_lineup",
  role: "deputy_editor",
  schema: lineupSchema,
  prompt: (input) => ({
    system: systemPrompt(input.language, {
      zh: `你是副总编辑，独立复核总编辑的选题。给出你自己的${input.stories}条排序：如果你认为有更重要、更新或报道更广的新闻，就换掉它。${HANDLE_RULE.zh}`,
      en: `You are the deputy editor and give an independent second opinion on the editor-in-chief's lineup. Give your own ranking of ${input.stories} stories: replace any pick you think is less important, less recent or less widely reported than another candidate. ${HANDLE_RULE.en}`,
    }),
    user:
      `now: ${input.now}\nedition language: ${input.language}\nstories to pick: ${input.stories}\n\n${candidateBlocks(input)}\n\n` +
      `editor-in-chief's picks (best first): ${pickHandles(input.firstOpinion, input.candidates).join(", ") || "none"}\n\n` +
      `Reply as JSON: {"picks":[{"id":"...","why":"..."}],"reason":"..."}`,
  }),
  // A different but sensible rule, so the two offline editors can really disagree.
  offline: (input) => offlineLineup(input, byClusterSize, "ranked by number of sources (the most widely reported first), then by recency"),
  shrink: shrinkLineup,
  check: checkLineup,
};
