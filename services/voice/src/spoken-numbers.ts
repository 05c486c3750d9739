// Numbers as they are read aloud in English and Mandarin. Integer words come from n2words;
// decimals, years and the spoken-Mandarin habits (十二 not 一十二, 两万 not 二万) are added here.
import { toCardinal as enInteger, toOrdinal as enOrdinalWords } from "n2words/en-US";
import { toCardinal as zhInteger } from "n2words/zh-Hans-CN";

const EN_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const ZH_DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** "1,234.05" -> "one thousand two hundred thirty-four point zero five". */
export function enNumber(figure: string): string {
  const { sign, int, frac } = parts(figure);
  const words = enInteger(int) + (frac ? " point " + [...frac].map((d) => EN_DIGITS[+d]).join(" ") : "");
  return sign ? `minus ${words}` : words;
}

export function enOrdinal(n: number): string {
  return enOrdinalWords(n);
}

/** Years as they are said: 1999 "nineteen ninety-nine", 2005 "two thousand five", 2026 "twenty twenty-six". */
export function enYear(year: number): string {
  if (year < 1100 || year > 2099 || (year >= 2000 && year < 2010)) return enInteger(year);
  const hi = Math.floor(year / 100);
  const lo = year % 100;
  if (lo === 0) return `${enInteger(hi)} hundred`;
  return `${enInteger(hi)} ${lo < 10 ? `oh ${EN_DIGITS[lo]}` : enInteger(lo)}`;
}

/** "1,234.5" -> "一千二百三十四点五", "12" -> "十二", "20000" -> "两万". */
export function zhNumber(figure: string): string {
  const { sign, int, frac } = parts(figure);
  let words = zhInteger(int, { formal: false })
    .replace(/^一十/, "十")
    .replace(/^二(?=[千万亿])/, "两");
  if (frac) words += "点" + zhDigits(frac);
  return sign ? `负${words}` : words;
}

/** Digit by digit, as Mandarin reads years and codes: "2026" -> "二零二六". */
export function zhDigits(digits: string): string {
  return [...digits].map((d) => ZH_DIGITS[+d] ?? d).join("");
}

function parts(figure: string): { sign: boolean; int: string; frac: string } {
  const clean = figure.replace(/[,\s]/g, "");
  const sign = clean.startsWith("-") || clean.startsWith("−");
  const [int = "0", frac = ""] = clean.replace(/^[-−+]/, "").split(".");
  return { sign, int: int.replace(/^0+(?=\d)/, "") || "0", frac };
}
