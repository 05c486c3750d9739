// What identifies an event in a report, read by code in Chinese and English alike: the names
// of people, places and organisations, figures and dates. Countries and regions are named
// through ICU (Intl.DisplayNames), so "Japan" and "日本" are one term; figures are compared by
// value ("2.45 million" = "245万" = "2,450,000"); dates by month and day ("September 18" =
// "9月18日"). Chinese names of people and places found next to a cue (han-names.ts) are romanised
// as Latin news writes them, so 台山 and "Taishan" are one name "e:taishan"; other Chinese words
// stand for names between two Chinese reports, and the rarity weighting in same-event.ts keeps
// common words from counting.
import { isStopWord, words } from "@newsroom/platform/text/words";
import { hanNames } from "./han-names.js";

/** "n:" a figure, "d:" a month-day date, "p:" a country or region (ISO code), "e:" a name in Latin letters (or romanised from characters), "w:" a Chinese word. */
export type EventTerm = string;

/** Terms every language writes the same way (figures, dates, regions, Latin or romanised names): the only ones two languages can share. */
export function isNeutral(term: EventTerm): boolean {
  return !term.startsWith("w:");
}

export function eventTerms(text: string): Set<EventTerm> {
  const terms = new Set<EventTerm>();
  const dated = dates(text);
  for (const t of dated.terms) terms.add(t);
  for (const t of figures(dated.rest)) terms.add(t);
  const { regions, rest } = regionsIn(dated.rest);
  for (const r of regions) terms.add(`p:${r}`);
  for (const name of latinNames(rest)) terms.add(`e:${name}`);
  // A romanised name is one term in both languages, so its characters are no word term besides.
  const names = hanNames(rest);
  for (const n of names) terms.add(`e:${n.latin}`);
  const inName = (w: string) => names.some((n) => n.han.includes(w));
  for (const w of words(rest)) if (/^\p{Script=Han}{2,}$/u.test(w) && !/^[千万亿]/u.test(w) && !isStopWord(w) && !COMMON_ZH.has(w) && !inName(w)) terms.add(`w:${w}`);
  return terms;
}

// Report furniture that says nothing about which event it is.
const COMMON_ZH = new Set(["记者", "报道", "表示", "介绍", "消息", "日电", "新闻", "今天", "昨天", "目前", "相关", "工作", "进行", "发布", "举行", "活动", "情况", "问题", "发展", "以来", "已经", "一个", "没有", "我们", "他们"]);

const SCALE: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, bn: 1e9, 千: 1e3, 万: 1e4, 亿: 1e8 };
const FIGURE = /(\d+(?:[,，]\d{3})*(?:\.\d+)?)\s*(thousand|million|billion|trillion|bn|千|万|亿)?/gi;

/** Figures by value; small whole numbers and years say nothing about which event it is. */
function figures(text: string): EventTerm[] {
  const out: EventTerm[] = [];
  for (const m of text.matchAll(FIGURE)) {
    const raw = m[1].replace(/[,，]/g, "");
    if (!m[2] && /^(?:19|20)\d\d$/.test(raw)) continue;
    const value = Number(raw) * (m[2] ? SCALE[m[2].toLowerCase()] : 1);
    if (!Number.isFinite(value) || (value < 10 && Number.isInteger(value))) continue;
    out.push(`n:${Number(value.toPrecision(6))}`);
  }
  return out;
}

const MONTHS = new Map<string, number>();
for (let m = 0; m < 12; m++)
  for (const month of ["long", "short"] as const) {
    const name = new Intl.DateTimeFormat("en", { month, timeZone: "UTC" }).format(new Date(Date.UTC(2021, m, 15))).toLowerCase();
    MONTHS.set(name, m + 1);
  }
MONTHS.set("sept", 9);
const MONTH_NAMES = [...MONTHS.keys()].join("|");
const EN_DATE = new RegExp(`\\b(?:(${MONTH_NAMES})\\.?\\s+(\\d{1,2})(?!\\d)|(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH_NAMES})\\b)`, "gi");
const ZH_DATE = /(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/g;

/** Month-day dates, and the text with them blanked (their day is no figure). */
function dates(text: string): { terms: EventTerm[]; rest: string } {
  const out: EventTerm[] = [];
  const add = (month: number | undefined, day: number) => {
    if (month && day >= 1 && day <= 31) out.push(`d:${month}-${day}`);
  };
  for (const m of text.matchAll(EN_DATE)) {
    if (m[1]) add(MONTHS.get(m[1].toLowerCase()), Number(m[2]));
    else add(MONTHS.get(m[4].toLowerCase()), Number(m[3]));
  }
  for (const m of text.matchAll(ZH_DATE)) add(Number(m[1]), Number(m[2]));
  return { terms: out, rest: text.replace(EN_DATE, blank).replace(ZH_DATE, blank) };
}

/** A stretch of text taken out, its length kept; not a letter, so no word runs across it. */
function blank(match: string): string {
  return "¤".repeat(match.length);
}

/** Country and region names in English and Chinese (long and short forms), from ICU, longest first. */
const REGION_NAMES: { name: string; code: string; han: boolean }[] = (() => {
  const names = new Map<string, string>();
  const displays = ["en", "zh"].flatMap((l) => (["long", "short"] as const).map((style) => new Intl.DisplayNames(l, { type: "region", style })));
  for (let a = 65; a <= 90; a++)
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      for (const d of displays) {
        let name: string | undefined;
        try {
          name = d.of(code);
        } catch {
          continue;
        }
        if (name && name !== code && name.length >= 2) names.set(name.toLowerCase(), code);
      }
    }
  for (const [alias, code] of [["u.s.", "US"], ["america", "US"], ["britain", "GB"], ["美方", "US"], ["中方", "CN"]] as const) names.set(alias, code);
  return [...names.entries()]
    .map(([name, code]) => ({ name, code, han: /\p{Script=Han}/u.test(name) }))
    .sort((x, y) => y.name.length - x.name.length);
})();

/** The regions a text names, and the text with them blanked (so "Hong Kong" is not also a name "hong kong"). */
function regionsIn(text: string): { regions: Set<string>; rest: string } {
  const regions = new Set<string>();
  let rest = text;
  const lower = () => rest.toLowerCase();
  for (const r of REGION_NAMES) {
    let at = lower().indexOf(r.name);
    while (at >= 0) {
      const before = rest[at - 1] ?? " ";
      const after = rest[at + r.name.length] ?? " ";
      const whole = r.han || (!/[\p{L}\d]/u.test(before) && !/[\p{L}\d]/u.test(after));
      if (whole && (r.han || /\p{Lu}/u.test(rest[at]))) {
        regions.add(r.code);
        rest = rest.slice(0, at) + blank(r.name) + rest.slice(at + r.name.length);
      }
      at = lower().indexOf(r.name, at + r.name.length);
    }
  }
  return { regions, rest };
}

// A name runs along a line, never across titles joined by line breaks.
const NAME_RUN = /(?<![\p{L}\d'’])\p{Lu}[\p{L}\d'’-]*(?:[^\S\n]+(?:(?:of|the|de|von|van|al)[^\S\n]+)*\p{Lu}[\p{L}\d'’-]*)*/gu;
// Titles before a name ("Premier Li Qiang" is the person 总理李强 names "li qiang").
const TITLES = ["mr", "mrs", "ms", "dr", "president", "premier", "prime", "minister", "chancellor", "governor", "mayor", "ambassador", "spokesman", "spokeswoman", "spokesperson", "chairman", "secretary", "senator", "general", "vice", "foreign", "professor"];
const NOT_NAMES = new Set([...MONTHS.keys(), "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", ...TITLES]);

/**
 * Names as written: runs of capitalised words ("Donald Trump", "State of the Union") are one
 * name, so one person does not count twice. A sentence's first word alone is left out (any word
 * is capitalised there), as are titles, months and weekdays.
 */
function latinNames(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(NAME_RUN)) {
    const before = text.slice(Math.max(0, m.index! - 3), m.index!);
    const opensSentence = m.index === 0 || /(?:[.!?:;。！？\n"“'‘(（]|^)\s*$/u.test(before);
    const words = m[0].split(/\s+/);
    // At a sentence's start any word is capitalised: "Donald Trump" stays a name, "Critics of the Union" loses "Critics".
    if (opensSentence && (words.length === 1 || /^\p{Ll}/u.test(words[1]))) words.shift();
    while (words.length && (NOT_NAMES.has(key(words[0])) || isStopWord(key(words[0])))) words.shift();
    // "Guangdong Province" is the place Chinese writes 广东省 and romanises "guangdong".
    while (words.length && (NOT_NAMES.has(key(words.at(-1)!)) || isStopWord(key(words.at(-1)!)) || (words.length > 1 && key(words.at(-1)!) === "province"))) words.pop();
    const name = words.map(key).join(" ");
    if (name.length >= 2) out.push(name);
  }
  return out;
}

function key(word: string): string {
  return word.replace(/['’]s$|[.'’-]+$/u, "").toLowerCase();
}
