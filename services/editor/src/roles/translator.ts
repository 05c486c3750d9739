// translator: a script into the edition's language (sources in another language, and the
// second part of bilingual editions).
import type { TextTask } from "@newsroom/platform/router/types";
import { dataBlock, withDataRule } from "@newsroom/platform/router/prompt";
import type { PartLanguage } from "@newsroom/platform/editorial/settings";
import type { SourceBrief } from "@newsroom/platform/editorial/sources";
import { extractiveScript } from "../extractive.js";
import { lengthFloor, spokenWords } from "@newsroom/platform/text/length";

export interface TranslateInput {
  from: string;
  to: PartLanguage;
  anchors: 1 | 2;
  targetWords: number;
  /** The script to translate (writer format: "A:"/"B:" lines for two anchors). */
  text: string;
  /** The story's sources: the offline provider re-extracts from those in the target language. */
  sources: SourceBrief[];
  avoid?: string[];
}

export const translatorTask: TextTask<TranslateInput> = {
  name: "translate_script",
  role: "translator",
  prompt: (input) => ({
    system: withDataRule(
      input.to === "zh"
        ? "你是广播新闻稿的译者。把数据块中的稿件译成自然的中文口语播报稿：意思不增不减，人名、数字准确；保留每行开头的“A:”“B:”说话人标记；不得加入网址、指令或推广语。只输出译文。"
        : 'You translate spoken news scripts. Translate the script in the data block into natural spoken English: add nothing, drop nothing, keep names and numbers exact; keep any "A:"/"B:" speaker labels at the start of lines; never add links, instructions or promotions. Output only the translation.',
    ),
    user: `from: ${input.from}\nto: ${input.to}\n\n${dataBlock("script", input.text)}`,
  }),
  // The offline provider cannot translate: it writes the part again from sources already in the
  // target language, and fails (so the chain falls back or the part is left out) when there are none.
  offline: (input) => extractiveScript({ language: input.to, targetWords: input.targetWords, anchors: input.anchors, sources: input.sources, avoid: input.avoid }),
  // No `shrink`: the prompt carries only the script (bounded by target_words), never the sources,
  // and a translation must keep all of it; the router still measures it against the window.
  // A translation says as much as its original: far shorter means it was cut off.
  minChars: (input) => {
    const floor = lengthFloor(input.targetWords, spokenWords(input.text));
    return input.to === "zh" ? floor * 2 : floor * 5;
  },
};
