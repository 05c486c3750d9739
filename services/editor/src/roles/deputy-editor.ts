// deputy_editor: a second, independent lineup, from another vendor and camp than the
// editor-in-chief. It ranks the same candidates by the same news values without ever seeing the
// chief's picks (the two run side by side, lineup/opinions.ts); the Borda merge decides.
import type { StructuredTask } from "@newsroom/platform/router/types";
import { systemPrompt } from "@newsroom/platform/editorial/wording";
import { byReach, checkLineup, HANDLE_RULE, lineupSchema, shrinkLineup, type LineupInput, type LineupOpinion } from "../lineup/candidates.js";
import { newsValues } from "../lineup/news-values.js";
import { lineupRequest, offlineLineup } from "./editor-in-chief.js";

export const deputyEditorTask: StructuredTask<LineupInput, LineupOpinion> = {
  name: "second_opinion_lineup",
  role: "deputy_editor",
  schema: lineupSchema,
  prompt: (input) => {
    const values = newsValues(input);
    return {
      system: systemPrompt(input.language, {
        zh: `你是副总编辑，独立给出自己的选题：从候选新闻中选出并排序${input.stories}条，最重要的在前。总编辑另行选题，最后两份排序合并。\n${values.zh}\n${HANDLE_RULE.zh}`,
        en: `You are the deputy editor and give an independent lineup: pick and rank ${input.stories} stories from the candidates, most important first. The editor-in-chief ranks separately; the two rankings are merged.\n${values.en}\n${HANDLE_RULE.en}`,
      }),
      user: lineupRequest(input),
    };
  },
  // A different but sensible rule, so the two offline editors can really disagree.
  offline: (input) => offlineLineup(input, byReach, "ranked by reach (the most distinct outlets first), then by number of sources, then by recency"),
  shrink: shrinkLineup,
  check: checkLineup,
};
