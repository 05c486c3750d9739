// The gates a model's show copy (rundown, transitions, recap) must pass before it goes on air,
// the same four deterministic gates a story script passes, against what is on air instead of
// the sources:
//   truncation: every piece ends on a whole sentence; a rundown and recap when stories air;
//   injection:  no link, instruction or promotion;
//   language:   the part reads as its language;
//   grounding:  no number, date or name that the approved scripts (or the anchors' names, the
//               show's title and the air date) do not carry.
// A copy that fails one is not used: the template copy stands in (show-pass.ts).
import type { PartLanguage } from "@newsroom/platform/editorial/settings";
import { endsSentence } from "@newsroom/platform/router/truncation";
import { findHostile } from "@newsroom/platform/text/hostile";
import { detectLanguage } from "@newsroom/platform/text/language";
import { splitSentences } from "@newsroom/platform/text/sentences";
import { words } from "@newsroom/platform/text/words";
import { sourceFacts, ungrounded } from "@newsroom/factcheck/grounding";
import type { ShowCopy } from "./roles/headline-editor.js";

export interface ShowCopyProblem {
  gate: "truncation" | "injection" | "language" | "grounding";
  detail: string;
}

/** What is wrong with `copy` for a show of `storyCount` stories; empty when it may air. */
export function showCopyProblems(copy: ShowCopy, lang: PartLanguage, storyCount: number, onAir: string[]): ShowCopyProblem[] {
  const problems: ShowCopyProblem[] = [];
  const pieces = [copy.rundown, ...copy.transitions, copy.recap].map((p) => p.trim()).filter(Boolean);
  if (storyCount && (!copy.rundown.trim() || !copy.recap.trim())) problems.push({ gate: "truncation", detail: "no rundown or no recap" });
  if (copy.transitions.length !== storyCount || copy.transitions.some((t) => !t.trim()))
    problems.push({ gate: "truncation", detail: `${copy.transitions.filter((t) => t.trim()).length} transitions for ${storyCount} stories` });
  for (const piece of pieces) if (!endsSentence(piece)) problems.push({ gate: "truncation", detail: `ends mid-sentence: "${piece.slice(-60)}"` });

  for (const f of pieces.flatMap((p) => findHostile(p, lang))) problems.push({ gate: "injection", detail: `a ${f.kind} ("${f.match.slice(0, 60)}")` });

  const text = pieces.join("\n");
  const read = detectLanguage(text);
  const inLanguage = lang === "zh" ? read === "zh" : read === "en" || (read === "other" && words(text).length < 8);
  if (text && !inLanguage) problems.push({ gate: "language", detail: `the ${lang} part reads as ${read}` });

  const known = sourceFacts(onAir);
  for (const sentence of pieces.flatMap((p) => splitSentences(p, lang))) {
    const missing = ungrounded(sentence, known);
    if (missing.length) problems.push({ gate: "grounding", detail: `${missing.map((f) => `${f.kind} "${f.text}"`).join(", ")} in "${sentence.slice(0, 100)}" is in no approved script` });
  }
  return problems;
}
