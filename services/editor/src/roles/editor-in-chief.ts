// editor_in_chief: ranks the candidate stories and picks the lineup for the slot.
import type { StructuredTask } from "@newsroom/platform/router/types";
import { systemPrompt } from "@newsroom/platform/editorial/wording";
import { byRecency, candidateBlocks, checkLineup, HANDLE_RULE, lineupSchema, shrinkLineup, writableOffline, type Candidate, type LineupInput, type LineupOpinion } from "../lineup/candidates.js";
import { newsValues } from "../lineup/news-values.js";

export const editorInChiefTask: StructuredTask<LineupInput, LineupOpinion> = {
  name: "rank_lineup",
  role: "editor_in_chief",
  schema: lineupSchema,
  prompt: (input) => {
    const values = newsValues(input);
    return {
      system: systemPrompt(input.language, {
        zh: `你是新闻简报的总编辑。从候选新闻中选出并排序${input.stories}条，供${input.slot === "morning" ? "早间" : "晚间"}节目播出，最重要的在前。\n${values.zh}\n${HANDLE_RULE.zh}`,
        en: `You are the editor-in-chief of a spoken ${input.slot} news briefing. Pick and rank ${input.stories} stories from the candidates, most important first.\n${values.en}\n${HANDLE_RULE.en}`,
      }),
      user: lineupRequest(input),
    };
  },
  offline: (input) => offlineLineup(input, byRecency, "ranked by the time of the latest source, then by reach (distinct outlets), then by number of sources"),
  shrink: shrinkLineup,
  check: checkLineup,
};

/** The user message both editors get: the candidates and the reply's shape, nothing of the other editor's opinion. */
export function lineupRequest(input: LineupInput): string {
  return `now: ${input.now}\nedition language: ${input.language}\nstories to pick: ${input.stories}\n\n${candidateBlocks(input)}\n\nReply as JSON: {"picks":[{"id":"...","why":"..."}],"reason":"..."}`;
}

/** The offline editors' shared shape: filter to what the offline writer can write, sort, take N. */
export function offlineLineup(input: LineupInput, order: (a: Candidate, b: Candidate) => number, rule: string): LineupOpinion {
  const writable = input.candidates.filter((c) => writableOffline(c, input.language));
  const picks = [...writable].sort(order).slice(0, input.stories);
  const skipped = input.candidates.length - writable.length;
  const languageNote =
    skipped > 0
      ? `; ${skipped} candidate(s) left out because none of their sources is in ${input.language === "bilingual" ? "zh or en" : input.language} and the offline provider cannot translate`
      : "";
  return {
    picks: picks.map((c) => ({ id: c.id, why: `${c.outlets.length} outlet(s), ${c.sourceCount} source(s), latest ${c.latestPublished}` })),
    reason: `Offline: ${picks.length} of ${input.candidates.length} candidates ${rule}${languageNote}.`,
  };
}
