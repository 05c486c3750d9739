// Text cut into requests a provider accepts: whole sentences packed up to its input limit,
// a too-long sentence cut at clause marks, then at spaces, and only as a last resort anywhere.
import { splitSentences } from "@newsroom/platform/text/sentences";

const CLAUSE_END = /[,;:，；：、—]/u;

/** Pieces of at most `maxChars` characters, in order, cut at sentence boundaries where possible. */
export function splitForSpeech(text: string, maxChars: number, lang: "zh" | "en"): string[] {
  if (maxChars < 1) throw new RangeError("maxChars must be positive");
  const glue = lang === "zh" ? "" : " ";
  const pieces: string[] = [];
  let current = "";
  for (const sentence of splitSentences(text, lang).flatMap((s) => cutLong(s, maxChars))) {
    const joined = current ? current + glue + sentence : sentence;
    if (joined.length <= maxChars) current = joined;
    else {
      pieces.push(current);
      current = sentence;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

/** The first sentence alone, then the rest packed: the first audio can be made and sent early. */
export function firstSentenceFirst(text: string, maxChars: number, lang: "zh" | "en"): string[] {
  const [first, ...rest] = splitForSpeech(text, maxChars, lang).flatMap((p, i) => (i === 0 ? splitSentences(p, lang) : [p]));
  if (first === undefined) return [];
  const glue = lang === "zh" ? "" : " ";
  return [first, ...splitForSpeech(rest.join(glue), maxChars, lang)].filter(Boolean);
}

function cutLong(sentence: string, maxChars: number): string[] {
  if (sentence.length <= maxChars) return [sentence];
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    const cut = lastIndex(window, CLAUSE_END) ?? lastIndex(window, /\s/u) ?? maxChars - 1;
    out.push(rest.slice(0, cut + 1).trim());
    rest = rest.slice(cut + 1).trim();
  }
  if (rest) out.push(rest);
  return out.filter(Boolean);
}

function lastIndex(text: string, re: RegExp): number | undefined {
  for (let i = text.length - 1; i > 0; i--) if (re.test(text[i])) return i;
  return undefined;
}
