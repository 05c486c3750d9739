// Word segmentation (Intl.Segmenter: dictionary-based for Chinese) and the content words
// that overlap scores compare (stop words from the `stopword` package).
import { eng, zho } from "stopword";
import { segmenter } from "./sentences.js";

/** Word-like segments, lower-cased. Han text is split into dictionary words whatever the locale. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter("und", "word").segment(text)) {
    if (s.isWordLike) out.push(s.segment.toLowerCase());
  }
  return out;
}

const EN_STOP = new Set(eng);
const STOP = new Set([...eng, ...zho]);

export function isStopWord(w: string): boolean {
  return STOP.has(w);
}

export function isEnglishStopWord(w: string): boolean {
  return EN_STOP.has(w);
}

/** Words that carry meaning: stop words dropped, numbers kept. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => !STOP.has(w));
}
