// fact_checker: every sentence of a script against the source texts; lists what the sources
// do not support.
import { z } from "zod";
import type { StructuredTask } from "@newsroom/platform/router/types";
import { dataBlock } from "@newsroom/platform/router/prompt";
import type { EditionConfig } from "@newsroom/platform/config/schema";
import { systemPrompt } from "@newsroom/platform/editorial/wording";
import { shrinkSources, sourceBlocks, type SourceBrief } from "@newsroom/platform/editorial/sources";
import { isSupported, supportOf } from "@newsroom/platform/text/support";
import type { NumberedSentence } from "../script-parts.js";
import { sourceSentences } from "../source-sentences.js";

export interface FactCheckInput {
  language: EditionConfig["language"];
  sentences: NumberedSentence[];
  sources: SourceBrief[];
}

export const factCheckSchema = z.object({
  unsupported: z
    .array(z.object({ n: z.coerce.number().int().optional(), sentence: z.string(), why: z.string().default("") }))
    .describe("every script sentence the sources do not support"),
  reason: z.string(),
});
export type FactCheck = z.infer<typeof factCheckSchema>;

export const factCheckerTask: StructuredTask<FactCheckInput, FactCheck> = {
  name: "check_facts",
  role: "fact_checker",
  schema: factCheckSchema,
  prompt: (input) => ({
    system: systemPrompt(input.language, {
      zh: "你是事实核查员。只对照数据块中的来源逐句核对稿件，不依据你自己的记忆或对世界的了解：凡是来源中找不到依据的句子（任何事实、人名、数字、日期、引语），都列出来并说明原因。来源可能是别的语言，按意思核对。没有问题就返回空列表。",
      en: "You are a fact checker. Check the script sentence by sentence against the sources in the data blocks only, never against your own memory of the world: list every sentence with any fact, name, number, date or quote the sources do not support, and say why. Sources may be in another language: compare meaning. Return an empty list when everything is supported.",
    }),
    user:
      `${sourceBlocks(input.sources)}\n\n${dataBlock("script sentences", input.sentences.map((s) => `[${s.n}] ${s.text}`).join("\n"))}\n\n` +
      'Reply as JSON: {"unsupported":[{"n":1,"sentence":"...","why":"..."}],"reason":"..."}',
  }),
  offline: (input) => {
    const unsupported: FactCheck["unsupported"] = [];
    for (const s of input.sentences) {
      const against = sourceSentences(input.sources, s.lang);
      if (!against.length) {
        unsupported.push({ n: s.n, sentence: s.text, why: `no ${s.lang} source to compare with (the offline check is extractive and cannot compare across languages)` });
        continue;
      }
      const support = supportOf(s.text, against);
      if (!isSupported(support))
        unsupported.push({
          n: s.n,
          sentence: s.text,
          why: support.missingNumbers.length
            ? `number(s) ${support.missingNumbers.join(", ")} not in any source`
            : `only ${Math.round(support.score * 100)}% of its content words appear in the closest source sentence`,
        });
    }
    return {
      unsupported,
      reason: `Offline: ${input.sentences.length - unsupported.length} of ${input.sentences.length} sentences supported by source sentences (word overlap, numbers must match).`,
    };
  },
  shrink: shrinkSources,
};
