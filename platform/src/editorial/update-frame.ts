// A story that aired before in the same show airs again only as an update (lineup/memory.ts),
// and code, not the writer, frames it so: the script opens with "更新：" (zh) or "An update on
// a story from our morning edition." (en), and the headline with "更新：" / "Update: ". Framing
// twice changes nothing (a revision may carry the frame already). Reviewers read the script
// without the frame (factcheck's script-parts.ts): it states no fact a source could support.
import type { AiredBefore, ScriptLine } from "../db/schema.js";
import type { PartLanguage } from "./settings.js";

const ZH_FRAME = "更新：";
const FRAME = /^\s*(?:更新[:：]\s*|An update on a story from our \w+ edition\.\s*|Update:\s*)+/i;

export function updateOpening(language: PartLanguage, aired: Pick<AiredBefore, "slot">): string {
  return language === "zh" ? ZH_FRAME : `An update on a story from our ${aired.slot} edition. `;
}

/** A line without the update frame code put at its start. */
export function withoutUpdateFrame(text: string): string {
  return text.replace(FRAME, "");
}

/** The lines with each language part's first line framed as an update. */
export function frameLines(lines: ScriptLine[], language: PartLanguage, aired: Pick<AiredBefore, "slot">): ScriptLine[] {
  const firsts = new Set<number>();
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    const lang = l.lang ?? language;
    if (!seen.has(lang)) firsts.add(i);
    seen.add(lang);
  });
  return lines.map((l, i) => {
    if (!firsts.has(i)) return l;
    const bare = withoutUpdateFrame(l.text);
    return { ...l, text: `${updateOpening(l.lang ?? language, aired)}${bare.charAt(0).toUpperCase()}${bare.slice(1)}` };
  });
}

/** The headline framed as an update; a bilingual headline ("zh | en") part by part. */
export function frameHeadline(headline: string): string {
  return headline
    .split(" | ")
    .map((part) => {
      const bare = withoutUpdateFrame(part);
      return /\p{Script=Han}/u.test(bare) ? `${ZH_FRAME}${bare}` : `Update: ${bare}`;
    })
    .join(" | ");
}
