// Text as an anchor says it: figures, dates, times, money, units, scores and acronyms written
// out in words before synthesis, so every engine (and every fallback) reads them the same way.
// The rules run in order: a later rule only sees what earlier ones left as figures.
import { loadLexicon, type Lexicon, type SpeechLanguage } from "./lexicon.js";
import { enNumber, enOrdinal, enYear, zhDigits, zhNumber } from "./spoken-numbers.js";

export type { SpeechLanguage } from "./lexicon.js";

/** A figure: 1,234,567.89 (grouped) or 1234.5 (plain); never the middle of a longer one. */
const NUM = String.raw`(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])`;
const NOT_WORD_BEFORE = String.raw`(?<![A-Za-z0-9])`;
const NOT_WORD_AFTER = String.raw`(?![A-Za-z0-9])`;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const MONTH_RE = String.raw`(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?`;

interface Money {
  en: [string, string];
  zh: string;
  /** Name of the hundredth part, when amounts like 3.50 are said as "and fifty cents". */
  cents?: [string, string];
}
const CURRENCIES: Record<string, Money> = {
  US$: { en: ["US dollar", "US dollars"], zh: "美元", cents: ["cent", "cents"] },
  HK$: { en: ["Hong Kong dollar", "Hong Kong dollars"], zh: "港元", cents: ["cent", "cents"] },
  $: { en: ["dollar", "dollars"], zh: "美元", cents: ["cent", "cents"] },
  "€": { en: ["euro", "euros"], zh: "欧元", cents: ["cent", "cents"] },
  "£": { en: ["pound", "pounds"], zh: "英镑", cents: ["penny", "pence"] },
  "¥": { en: ["yuan", "yuan"], zh: "元" },
  "￥": { en: ["yuan", "yuan"], zh: "元" },
};
const SCALES: Record<string, number> = { thousand: 1e3, k: 1e3, million: 1e6, m: 1e6, mn: 1e6, billion: 1e9, bn: 1e9, trillion: 1e12 };
const SCALE_WORDS: Record<string, string> = { k: "thousand", m: "million", mn: "million", bn: "billion" };

const EN_SPORT = /\b(?:win|wins|won|winning|beat|beats|beaten|defeat|defeated|defeats|victory|victories|lost|lose|loses|loss|draw|drew|drawn|lead|led|leads|trail|trailed|trails|score|scored|scores|scoreline|match|game|final|semi-?final|half-?time|goals?|sets?|rout|thrash(?:ed)?)\b/i;
const ZH_SCORE_BEFORE = /(?:以|比分|比分为|总比分|最终比分|比分是)\s?$/;
const ZH_SCORE_AFTER = /^\s?(?:的比分)?(?:战胜|击败|获胜|取胜|胜出|负于|输给|告负|战平|打平|逆转|力克|险胜|完胜|大胜|领先|落后|击溃|不敌|憾负|惜败|落败|赢下|拿下)/;

type Rule = (text: string, lang: SpeechLanguage, lex: Lexicon) => string;

let cachedLexicon: Lexicon | undefined;

/** The default lexicon plus NEWSROOM_LEXICON, loaded once. */
export function defaultLexicon(): Lexicon {
  return (cachedLexicon ??= loadLexicon());
}

/** `text` with every figure, symbol and listed term written out as `language` speaks it. */
export function normalizeForSpeech(text: string, language: SpeechLanguage, lexicon: Lexicon = defaultLexicon()): string {
  let out = text.replace(/\s+/g, " ").trim();
  for (const rule of RULES) out = rule(out, language, lexicon);
  out = out.replace(/\s+/g, " ").replace(/\s+([,.!?;:，。！？；：、）”])/g, "$1");
  // Spaces the rules put around words mean nothing between Chinese characters.
  if (language === "zh") out = out.replace(/(?<=[\p{Script=Han}，。！？；：、（“]) | (?=[\p{Script=Han}，。！？；：、（“])/gu, "");
  return out.trim();
}

const money: Rule = (text, lang) => {
  const re = new RegExp(String.raw`(US\$|HK\$|\$|€|£|¥|￥)\s?(${NUM})(?:\s?(thousand|million|billion|trillion|bn|mn|m|k)\b|\s?(万亿|亿|万))?`, "g");
  return text.replace(re, (_all, sym: string, amount: string, scale?: string, zhScale?: string) => {
    const cur = CURRENCIES[sym];
    if (lang === "zh") {
      if (scale) return zhScaled(Number(amount.replace(/,/g, "")) * SCALES[scale]) + cur.zh;
      return zhNumber(amount) + (zhScale ?? "") + cur.zh;
    }
    if (scale || zhScale) {
      const word = scale ? (SCALE_WORDS[scale] ?? scale) : { 万: "ten thousand", 亿: "hundred million", 万亿: "trillion" }[zhScale!];
      return `${enNumber(amount)} ${word} ${cur.en[1]}`;
    }
    const [units, cents = ""] = amount.replace(/,/g, "").split(".");
    if (cur.cents && cents.length === 2) {
      const c = Number(cents);
      const main = `${enNumber(units)} ${units === "1" ? cur.en[0] : cur.en[1]}`;
      return c ? `${main} and ${enNumber(String(c))} ${c === 1 ? cur.cents[0] : cur.cents[1]}` : main;
    }
    return `${enNumber(amount)} ${amount === "1" ? cur.en[0] : cur.en[1]}`;
  });
};

const terms: Rule = (text, lang, lex) => {
  if (!lex.terms.size) return text;
  const keys = [...lex.terms.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
  const re = new RegExp(`${NOT_WORD_BEFORE}(?:${keys.join("|")})${NOT_WORD_AFTER}`, "g");
  return text.replace(re, (term) => ` ${lex.terms.get(term)?.[lang] ?? term} `);
};

/** Model and product names not in the lexicon: "Falcon-9", "Top-10" -> letters, then the number. */
const modelNames: Rule = (text, lang) =>
  text.replace(/(?<![A-Za-z0-9-])([A-Z][A-Za-z]{0,9})-(\d+(?:\.\d+)?)([a-z]{0,2})(?![A-Za-z0-9-])/g, (_all, name: string, num: string, suffix: string) => {
    const said = [spellIfAcronym(name), lang === "zh" ? zhNumber(num) : enNumber(num), spellOut(suffix)].filter(Boolean);
    return ` ${said.join(" ")} `;
  });

const percents: Rule = (text, lang) => {
  const range = new RegExp(String.raw`(-?${NUM})\s?(?:%|％|percent)?\s?(?:-|–|—|~|～|to|到|至)\s?(-?${NUM})\s?(?:%|％)`, "g");
  const single = new RegExp(String.raw`(?<![\d.])(-?${NUM})\s?(?:%|％)`, "g");
  if (lang === "zh") {
    const zhPct = (n: string) => (n.startsWith("-") ? `负百分之${zhNumber(n.slice(1))}` : `百分之${zhNumber(n)}`);
    return text.replace(range, (_a, a: string, b: string) => `${zhPct(a)}到${zhPct(b)}`).replace(single, (_a, n: string) => zhPct(n));
  }
  return text
    .replace(range, (_a, a: string, b: string) => `${enNumber(a)} to ${enNumber(b)} percent`)
    .replace(single, (_a, n: string) => `${enNumber(n)} percent`);
};

// A day named by its date ("九一八", "9.17中国坚果健康周") is said digit by digit, never as a
// decimal ("九点一八"): M.D with a month and a day, next to words that make it a date.
const ZH_DATE_BEFORE = String.raw`(?<=(?:又是一年|每年的?|纪念|铭记|勿忘|今天是|又逢|迎来|“|")\s?)`;
const ZH_DATE_AFTER = String.raw`(?=\s?(?:事变|纪念|国耻|前夕|当天|那天|这一天|之际|周年|期间|购物节|晚会|大促|活动|中国|”|"))`;
const ZH_MD = String.raw`(?<![\d.])([1-9]|1[0-2])\.(0?[1-9]|[12]\d|3[01])(?![\d%％])`;
const ZH_DATE_NAME = new RegExp(String.raw`${ZH_DATE_BEFORE}${ZH_MD}|${ZH_MD}${ZH_DATE_AFTER}`, "g");

const dates: Rule = (text, lang) => {
  let out = text.replace(/(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?![\d:])/g, (all, y: string, m: string, d: string) => {
    const month = Number(m);
    const day = Number(d);
    if (month < 1 || month > 12 || day < 1 || day > 31) return all;
    return lang === "zh"
      ? `${zhDigits(y)}年${zhNumber(String(month))}月${zhNumber(String(day))}日`
      : `${MONTHS[month - 1]} ${enOrdinal(day)}, ${enYear(Number(y))}`;
  });
  if (lang === "zh") {
    return out
      .replace(ZH_DATE_NAME, (_a, m1?: string, d1?: string, m2?: string, d2?: string) => zhDigits(`${m1 ?? m2}${Number(d1 ?? d2)}`))
      .replace(/(?<!\d)(\d{4})(?=\s?(?:年|赛季|财年|年度|届))/g, (_a, y: string) => zhDigits(y))
      .replace(/(?<![\d.])(\d{1,2})(?=\s?月)/g, (_a, m: string) => zhNumber(m))
      .replace(/(?<![\d.])(\d{1,2})(?=\s?[日号])/g, (_a, d: string) => zhNumber(d));
  }
  out = out.replace(
    new RegExp(String.raw`\b${MONTH_RE}\s(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s(\d{4})\b)?`, "g"),
    (all, month: string, day: string, year?: string) =>
      Number(day) >= 1 && Number(day) <= 31 ? `${monthName(month)} ${enOrdinal(Number(day))}${year ? `, ${enYear(Number(year))}` : ""}` : all,
  );
  return out.replace(
    new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s${MONTH_RE}(?:,?\s(\d{4})\b)?`, "g"),
    (all, day: string, month: string, year?: string) =>
      Number(day) >= 1 && Number(day) <= 31 ? `the ${enOrdinal(Number(day))} of ${monthName(month)}${year ? `, ${enYear(Number(year))}` : ""}` : all,
  );
};

const times: Rule = (text, lang) =>
  text.replace(/(?<![\d:.])(\d{1,2}):(\d{2})(?![\d:])(?:\s?([ap])\.?m\b(\.?))?/gi, (all, h: string, m: string, ap?: string, dot?: string, at?: number) => {
    const hour = Number(h);
    const minute = Number(m);
    if (hour > 24 || minute > 59) return all;
    if (lang === "zh") {
      const part = ap ? (ap.toLowerCase() === "a" ? "上午" : "下午") : "";
      const hourWords = hour === 2 ? "两" : zhNumber(String(hour));
      return `${part}${hourWords}点${minute === 0 ? "" : `${minute < 10 ? "零" : ""}${zhNumber(String(minute))}分`}`;
    }
    const hourWords = enNumber(String(hour));
    // "a.m." ending a sentence keeps the full stop.
    const next = text.slice((at ?? 0) + all.length).trimStart();
    const suffix = ap ? ` ${ap.toLowerCase()} m${dot && (!next || /^[A-Z]/.test(next)) ? "." : ""}` : "";
    if (minute === 0) return ap ? `${hourWords}${suffix}` : `${hourWords} o'clock`;
    return `${hourWords} ${minute < 10 ? `oh ${enNumber(String(minute))}` : enNumber(String(minute))}${suffix}`;
  });

/** "3-1" next to a match word is a score ("three-one", "三比一"), not a range. */
const scores: Rule = (text, lang) =>
  text.replace(/(?<![\d.,:])(\d{1,3})\s?([-–:：])\s?(\d{1,3})(?![\d.,:%])/g, (all, a: string, sep: string, b: string, at: number) => {
    const before = text.slice(Math.max(0, at - 40), at);
    const after = text.slice(at + all.length, at + all.length + 40);
    if (lang === "zh") {
      if (!ZH_SCORE_BEFORE.test(before) && !ZH_SCORE_AFTER.test(after)) return all;
      return `${zhNumber(a)}比${zhNumber(b)}`;
    }
    if (sep !== "-" && sep !== "–") return all;
    if (!EN_SPORT.test(before.split(/[.!?;]/).pop() ?? "") && !EN_SPORT.test(after.split(/[.!?;]/)[0] ?? "")) return all;
    return `${enNumber(a)}-${enNumber(b)}`;
  });

const ranges: Rule = (text, lang) =>
  text.replace(new RegExp(String.raw`(?<![A-Za-z-])(${NUM})\s?(?:-|–|—|~|～)\s?(?=-?\d)`, "g"), (_a, a: string) => (lang === "zh" ? `${a}到` : `${a} to `));

const negatives: Rule = (text, lang) =>
  text.replace(/(?<![A-Za-z0-9.,)])[-−](?=\d)/g, lang === "zh" ? "负" : "minus ");

const units: Rule = (text, lang, lex) => {
  if (!lex.units.size) return text;
  const keys = [...lex.units.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
  const re = new RegExp(String.raw`(${NUM})\s?(${keys.join("|")})${NOT_WORD_AFTER}`, "g");
  return text.replace(re, (_a, n: string, unit: string) => {
    const u = lex.units.get(unit)!;
    return lang === "zh" ? `${zhNumber(n)}${u.zh}` : ` ${enNumber(n)} ${n === "1" ? u.en[0] : u.en[1]} `;
  });
};

const ordinals: Rule = (text, lang) =>
  lang === "zh" ? text : text.replace(/(?<![\d.,])(\d+)(?:st|nd|rd|th)\b/g, (_a, n: string) => enOrdinal(Number(n)));

const YEAR_CUE = String.raw`(?<=\b(?:in|since|by|of|from|until|till|before|after|during|year|early|late|mid|around|circa|January|February|March|April|May|June|July|August|September|October|November|December|spring|summer|autumn|fall|winter)\s)`;
const years: Rule = (text, lang) =>
  lang === "zh" ? text : text.replace(new RegExp(String.raw`${YEAR_CUE}(1[1-9]\d\d|20\d\d)(?![\d,.]\d)`, "g"), (_a, y: string) => enYear(Number(y)));

const numbers: Rule = (text, lang) =>
  text.replace(new RegExp(NUM, "g"), (n) => {
    // Long digit strings with no grouping (phone numbers, codes) are read digit by digit.
    if (/^\d{7,}$/.test(n) || /^0\d+$/.test(n)) return lang === "zh" ? zhDigits(n) : ` ${[...n].map((d) => enNumber(d)).join(" ")} `;
    return lang === "zh" ? zhNumber(n) : ` ${enNumber(n)} `;
  });

/** Capitals not in the lexicon are spelled out ("IMF" -> "I M F"), unless the whole text shouts. */
const acronyms: Rule = (text) => {
  if (!/[a-z\p{Script=Han}]/u.test(text)) return text;
  return text.replace(/(?<![A-Za-z])([A-Z]{2,5})(s?)(?![A-Za-z])/g, (_a, caps: string, plural: string) => ` ${spellOut(caps)}${plural} `);
};

const symbols: Rule = (text, lang) => text.replace(/\s?&\s?/g, lang === "zh" ? "和" : " and ");

const RULES: Rule[] = [money, terms, modelNames, percents, dates, scores, times, ranges, negatives, units, ordinals, years, numbers, acronyms, symbols];

function zhScaled(value: number): string {
  const fmt = (v: number) => zhNumber(String(Number(v.toFixed(4))));
  if (value >= 1e12) return fmt(value / 1e12) + "万亿";
  if (value >= 1e8) return fmt(value / 1e8) + "亿";
  if (value >= 1e4) return fmt(value / 1e4) + "万";
  return fmt(value);
}

function monthName(abbrev: string): string {
  return MONTHS.find((m) => m.startsWith(abbrev.replace(/\.$/, "").slice(0, 3)))!;
}

function spellIfAcronym(word: string): string {
  return /^[A-Z]{2,}$/.test(word) ? spellOut(word) : word;
}

function spellOut(letters: string): string {
  return [...letters].join(" ");
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
