// The grounding gate's facts: numbers and amounts, dates, and named people or places, read
// out of a sentence so code (not a model) can check that the sources say them.
//
// RULES:
// - Numbers are compared by value after normalising digits ("5,000"), English number words
//   ("five thousand"), Chinese numerals ("五千", "10万") and scale words (thousand, million,
//   billion, 万, 亿): "120 million" matches "1.2亿" and "120,000,000". "one" and a lone
//   Chinese "一" are left alone: they are articles far more often than figures.
// - Months and weekdays are dates in either language ("March" = "3月", "Wednesday" = "周三").
// - A named person or place is a capitalised word inside an English sentence (not its first
//   word); it must appear, case-insensitively, in a Latin-script source. When every source is
//   written in Han characters, Latin names cannot be checked deterministically and are skipped.
import { isListenerQuestion } from "@newsroom/platform/text/listener-questions";
import { stripAttribution } from "@newsroom/platform/text/support";

export interface Fact {
  kind: "number" | "date" | "name";
  /** What the script says. */
  text: string;
  /** The normalised key compared with the sources' keys. */
  key: string;
}

const EN_UNITS: Record<string, number> = {
  zero: 0, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, thirteen: 13,
  fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50,
  sixty: 60, seventy: 70, eighty: 80, ninety: 90, dozen: 12,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, k: 1e3, m: 1e6, bn: 1e9, 千: 1e3, 万: 1e4, 亿: 1e8, 百: 100 };
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const ZH_WEEKDAY: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const ZH_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

const EN_NUMBER_WORD = `(?:${Object.keys(EN_UNITS).join("|")})(?:[- ](?:${Object.keys(EN_UNITS).join("|")}))?`;
const SCALE_WORD = "(?:hundred|thousand|million|billion|trillion|bn|k|m)\\b";
/** Digits or number words, then optional scale words ("120 million", "five thousand", "10万"). */
const NUMBER = new RegExp(
  `(\\d+(?:[.,]\\d+)*|\\b${EN_NUMBER_WORD}\\b|[零〇一二两三四五六七八九十百千万亿点]{2,})(\\s*(?:${SCALE_WORD}|[千万亿](?![一二三四五六七八九十])))?(\\s*(?:月))?`,
  "gi",
);
const ZH_WEEKDAY_RE = /(?:星期|周|礼拜)([日天一二三四五六])/g;
const MONTH_RE = new RegExp(`\\b(${MONTHS.join("|")})\\b`, "gi");
const WEEKDAY_RE = new RegExp(`\\b(${WEEKDAYS.join("|")})\\b`, "gi");
/** Capitalised words (and runs of them), as names are written in English. */
const NAME_RE = /\b\p{Lu}[\p{Ll}\p{Lu}'’.-]+(?:\s+\p{Lu}[\p{Ll}\p{Lu}'’.-]+)*/gu;
/** Capitalised words that are not names. */
const NOT_NAMES = new Set(["i", "the", "a", "an", "mr", "mrs", "ms", "dr", "he", "she", "they", "it", "we", "this", "that", "these", "those", "there", "and", "but", "or", "in", "on", "at", "of", "for", "a", "b", ...MONTHS, ...WEEKDAYS]);

/** Every fact in a sentence. */
export function factsIn(sentence: string): Fact[] {
  if (isListenerQuestion(sentence)) return []; // "Lin Xiao, what else do we know?": a hand-off, the name is the lead's
  const text = stripAttribution(sentence);
  const facts: Fact[] = [];
  for (const m of text.matchAll(NUMBER)) {
    if (m[3]) {
      const month = numeralValue(m[1]);
      if (month !== null) facts.push({ kind: "date", text: m[0], key: `month:${month}` });
      continue;
    }
    const v = numberValue(m[1], m[2]);
    if (v !== null) facts.push({ kind: "number", text: m[0].trim(), key: `n:${v}` });
  }
  for (const m of text.matchAll(MONTH_RE)) facts.push({ kind: "date", text: m[0], key: `month:${MONTHS.indexOf(m[1].toLowerCase()) + 1}` });
  for (const m of text.matchAll(WEEKDAY_RE)) facts.push({ kind: "date", text: m[0], key: `weekday:${WEEKDAYS.indexOf(m[1].toLowerCase())}` });
  for (const m of text.matchAll(ZH_WEEKDAY_RE)) facts.push({ kind: "date", text: m[0], key: `weekday:${ZH_WEEKDAY[m[1]]}` });
  for (const name of namesIn(text)) facts.push({ kind: "name", text: name, key: `name:${name.toLowerCase()}` });
  return facts;
}

/** Names in an English sentence: capitalised words that are not its first word nor a known non-name. */
function namesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(NAME_RE)) {
    const words = m[0].split(/\s+/);
    const atStart = m.index === text.search(/\p{L}/u);
    const kept = (atStart ? words.slice(1) : words).filter((w) => !NOT_NAMES.has(w.toLowerCase().replace(/[.'’]+$/, "")));
    out.push(...kept.map((w) => w.replace(/['’]s$|[.'’-]+$/u, "")).filter((w) => w.length > 1));
  }
  return out;
}

/** What the sources say, as keys: every number both as written and scaled, dates, and the Latin words they contain. */
export interface SourceFacts {
  keys: Set<string>;
  /** Lower-cased text of the Latin-script sources (names are looked up in it). */
  latinText: string;
}

export function sourceFacts(texts: string[]): SourceFacts {
  const keys = new Set<string>();
  for (const t of texts)
    for (const f of factsIn(t)) {
      if (f.kind !== "name") keys.add(f.key);
    }
  // A figure may be written scaled or not: "1.2 billion" also stands for 1.2 and 1,200 million.
  for (const t of texts)
    for (const m of t.matchAll(NUMBER)) {
      const raw = numeralValue(m[1]);
      if (raw !== null && !m[3]) keys.add(`n:${round(raw)}`);
    }
  const latin = texts.filter((t) => /\p{Script=Latin}{3,}/u.test(t));
  return { keys, latinText: latin.join("\n").toLowerCase() };
}

/** The facts of a sentence that the sources do not give. */
export function ungrounded(sentence: string, sources: SourceFacts): Fact[] {
  return factsIn(sentence).filter((f) => {
    if (f.kind === "name") return sources.latinText.length > 0 && !sources.latinText.includes(f.text.toLowerCase());
    return !sources.keys.has(f.key);
  });
}

function numberValue(digits: string, scale: string | undefined): number | null {
  const base = numeralValue(digits);
  if (base === null) return null;
  const s = scale?.trim().toLowerCase();
  return round(s ? base * (SCALES[s] ?? 1) : base);
}

/** "5,000" -> 5000, "3.5" -> 3.5, "twenty-five" -> 25, "一万二千" -> 12000, "三点五" -> 3.5. */
export function numeralValue(token: string): number | null {
  const t = token.trim().toLowerCase();
  if (/^\d/.test(t)) {
    // "5,000" and "1,200,000" group thousands; "3,5" is not an English decimal, read it as 35.
    const n = Number(t.replace(/,/g, ""));
    return Number.isFinite(n) ? n : null;
  }
  if (/^[a-z]/.test(t)) return t.split(/[- ]/).reduce((sum, w) => sum + (EN_UNITS[w] ?? 0), 0);
  return chineseNumeral(t);
}

function chineseNumeral(t: string): number | null {
  const [whole, frac] = t.split("点");
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of whole) {
    if (ch in ZH_DIGIT) digit = ZH_DIGIT[ch];
    else if (ch === "十" || ch === "百" || ch === "千") {
      section += (digit || 1) * SCALES[ch === "十" ? "k" : ch] / (ch === "十" ? 100 : 1);
      digit = 0;
    } else if (ch === "万" || ch === "亿") {
      total = (total + section + digit) * SCALES[ch];
      section = 0;
      digit = 0;
    } else return null;
  }
  let value = total + section + digit;
  if (frac) value += Number(`0.${[...frac].map((c) => ZH_DIGIT[c] ?? "").join("")}`);
  return round(value);
}

function round(n: number): number {
  return Number(n.toPrecision(9));
}
