// How well the sources support one sentence of a script: the share of the sentence's content
// words found in one source sentence (or two adjacent ones, since writers merge), and every
// number in the sentence must appear in the sources. Used by the offline fact checker and the
// offline writer's revisions.
import { isListenerQuestion } from "./listener-questions.js";
import { contentWords } from "./words.js";

export const SUPPORTED_AT = 0.5;

export interface Support {
  /** 0..1: best share of the sentence's content words found in a window of the sources. */
  score: number;
  /** Index of the best-matching source sentence (-1 when none). */
  best: number;
  /** Numbers in the sentence that no source sentence contains. */
  missingNumbers: string[];
}

// "据新华社报道，" / "According to Reuters," name who reported it; they are not a claim. The
// writer varies them (services/editor/src/attribution.ts): every form it uses is listed here.
const ATTRIBUTION =
  /^(?:据[^，,。]{1,30}(?:报道|消息)[，,]\s*|[^，,。据]{1,30}(?:消息|报道说|评论文章说)[，,]\s*|来自[^，,。]{1,30}的消息说[，,]\s*|according to [^,.]{1,60},\s*|as [^,.]{1,60} reports,\s*|[^,.]{1,60} report(?:s|ed) that\s+|in a commentary, [^,.]{1,60} argues that\s+)/i;

export function stripAttribution(sentence: string): string {
  return sentence.replace(ATTRIBUTION, "");
}

const NUMBER = /\d+(?:[.,]\d+)*/g;
const numbersIn = (s: string) => (s.match(NUMBER) ?? []).map((n) => n.replace(/,/g, ""));

export function supportOf(sentence: string, sourceSentences: string[]): Support {
  // A co-host's listener question hands over to the lead; it claims nothing.
  if (isListenerQuestion(sentence)) return { score: 1, best: -1, missingNumbers: [] };
  const claim = stripAttribution(sentence);
  const tokens = [...new Set(contentWords(claim))];
  const sourceNumbers = new Set(sourceSentences.flatMap(numbersIn));
  const missingNumbers = numbersIn(claim).filter((n) => !sourceNumbers.has(n));
  if (!tokens.length) return { score: 1, best: -1, missingNumbers };
  const sets = sourceSentences.map((s) => new Set(contentWords(s)));
  let score = 0;
  let best = -1;
  for (let i = 0; i < sets.length; i++) {
    const window = new Set([...sets[i], ...(sets[i + 1] ?? [])]);
    const share = tokens.filter((t) => window.has(t)).length / tokens.length;
    if (share > score) [score, best] = [share, i];
  }
  return { score, best, missingNumbers };
}

export function isSupported(s: Support): boolean {
  return s.score >= SUPPORTED_AT && s.missingNumbers.length === 0;
}
