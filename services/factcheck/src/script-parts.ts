// A stored script as reviewers read it: one part per language (bilingual scripts have two),
// each with its text and numbered sentences.
import type { Script, ScriptLine } from "@newsroom/platform/db/schema";
import type { PartLanguage } from "@newsroom/platform/editorial/settings";
import { withoutUpdateFrame } from "@newsroom/platform/editorial/update-frame";
import { splitSentences } from "@newsroom/platform/text/sentences";

export interface ScriptPart {
  lang: PartLanguage;
  lines: ScriptLine[];
  text: string;
  sentences: string[];
}

export interface NumberedSentence {
  n: number;
  text: string;
  lang: PartLanguage;
}

/** Reviewers read a script without the update frame code adds (editorial/update-frame.ts): it is no claim from the sources. */
export function scriptParts(script: Pick<Script, "lines" | "language">): ScriptPart[] {
  const lines = (script.lines as ScriptLine[]).map((l) => ({ ...l, text: withoutUpdateFrame(l.text) }));
  const fallback: PartLanguage = script.language === "en" ? "en" : "zh";
  const order: PartLanguage[] = [];
  for (const l of lines) if (!order.includes(l.lang ?? fallback)) order.push(l.lang ?? fallback);
  return order.map((lang) => {
    const own = lines.filter((l) => (l.lang ?? fallback) === lang);
    const text = own.map((l) => l.text).join("\n");
    return { lang, lines: own, text, sentences: own.flatMap((l) => splitSentences(l.text, lang)) };
  });
}

export function numberedSentences(parts: ScriptPart[]): NumberedSentence[] {
  let n = 0;
  return parts.flatMap((p) => p.sentences.map((text) => ({ n: ++n, text, lang: p.lang })));
}

/** The whole script as one text, for prompts. */
export function scriptText(parts: ScriptPart[]): string {
  return parts.map((p) => p.lines.map((l) => `${l.speaker === "anchor_b" ? "B" : "A"}: ${l.text}`).join("\n")).join("\n\n");
}
