// A story that aired before in the same show airs again only as an update (lineup/memory.ts),
// and code, not the writer, frames it so: the script opens with "更新：" (zh) or "An update on
// a story from our morning edition." (en), and the headline with "更新：" / "Update: ". Framing
// twice changes nothing (a revision may carry the frame already).
import type { AiredBefore, ScriptLine } from "@newsroom/platform/db/schema";
import type { PartLanguage } from "@newsroom/platform/editorial/settings";

const ZH_FRAME = "更新：";
const OLD_FRAME = /^\s*(?:更新[:：]\s*|An update on a story from our \w+ edition\.\s*|Update:\s*)+/i;

export function updateOpening(language: PartLanguage, aired: Pick<AiredBefore, "slot">): string {
  return language === "zh" ? ZH_FRAME : `An update on a story from our ${aired.slot} edition. `;
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
  return lines.map((l, i) => (firsts.has(i) ? { ...l, text: `${updateOpening(l.lang ?? language, aired)}${l.text.replace(OLD_FRAME, "")}` } : l));
}

/** The headline framed as an update; a bilingual headline ("zh | en") part by part. */
export function frameHeadline(headline: string): string {
  return headline
    .split(" | ")
    .map((part) => {
      const bare = part.replace(OLD_FRAME, "");
      return /\p{Script=Han}/u.test(bare) ? `${ZH_FRAME}${bare}` : `Update: ${bare}`;
    })
    .join(" | ");
}
