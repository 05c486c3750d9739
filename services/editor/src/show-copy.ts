// The show pass's spoken copy: the rundown, the transitions and the recap, from headlines
// only (so they carry no fact the approved scripts lack). A headline that may not be said is
// undefined: the rundown and recap skip it and its transition names no story.
import type { PartLanguage } from "@newsroom/platform/editorial/settings";

const named = (all: (string | undefined)[]) => all.filter((h): h is string => !!h);

/** "今天的主要内容有：A；B；C。" / "Coming up: A; B; and C." (undefined when there is nothing to name). */
export function rundownLine(lang: PartLanguage, headlines: (string | undefined)[]): string | undefined {
  const h = named(headlines);
  if (!h.length) return undefined;
  if (lang === "zh") return `${h.length === 1 ? "今天要关注的是" : "今天的主要内容有"}：${h.join("；")}。`;
  return `Coming up: ${list(h)}.`;
}

/**
 * Into story `index` (0-based) of `count`: "首先来看：A。" / "Next: B." / "And finally: C."; a
 * commentary is announced as one ("接下来是一篇评论：B。" / "Next, a commentary: B."), so the
 * listener knows an opinion follows.
 */
export function transitionLine(lang: PartLanguage, index: number, count: number, headline: string | undefined, commentary = false): string {
  const place = index === 0 ? "first" : index === count - 1 ? "last" : "next";
  if (lang === "zh") {
    const lead = { first: "首先来看", next: "接下来", last: "最后" }[place];
    if (commentary) return `${lead}是一篇评论${headline ? `：${headline}` : ""}。`;
    if (headline) return `${lead}：${headline}。`;
    return index === 0 ? "首先请听这条新闻。" : `${lead}，请听这条新闻。`;
  }
  const lead = { first: "First", next: "Next", last: count > 1 ? "And finally" : "First" }[place];
  if (commentary) return `${lead}, a commentary${headline ? `: ${headline}` : ""}.`;
  if (headline) return `${lead}: ${headline}.`;
  return index === 0 ? "First up, this story." : `${lead}, another story.`;
}

/**
 * The headline a transition names, unless the story's script is that headline and little more
 * (an attribution: a source with no text beyond its title): "接下来：A。据…，A。" would read the
 * same sentence twice in a row.
 */
export function transitionHeadline(headline: string | undefined, spokenScript: string): string | undefined {
  const squeeze = (t: string) => t.replace(/[\s\p{P}]/gu, "").toLowerCase();
  const [h, script] = [squeeze(headline ?? ""), squeeze(spokenScript)];
  return headline && script.includes(h) && script.length - h.length <= ATTRIBUTION_ROOM ? undefined : headline;
}

/** Letters an attribution adds ("腾讯新闻国内消息", "accordingtotheguardianus"): more is a story of its own. */
const ATTRIBUTION_ROOM = 40;

/** "回顾一下今天的要闻：A；B。" / "A look back at the headlines: A; and B." */
export function recapLine(lang: PartLanguage, headlines: (string | undefined)[]): string | undefined {
  const h = named(headlines);
  if (!h.length) return undefined;
  return lang === "zh" ? `回顾一下本期要闻：${h.join("；")}。` : `A look back at the headlines: ${list(h)}.`;
}

function list(items: string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join("; ")}; and ${items[items.length - 1]}`;
}
