// Words of a headline for comparing stories: the platform's word segmentation (Intl.Segmenter,
// dictionary-based for Chinese), stopword removes function words per language, and
// "anchors" (numbers, names written in Latin letters) let stories in different languages meet.
import { words } from "@newsroom/platform/text/words";
import { removeStopwords, eng, deu, ita, por, spa, fra, nld, zho, rus, ell, hun, pol, jpn, kor } from "stopword";

const STOPWORDS: Record<string, string[]> = { en: eng, de: deu, it: ita, pt: por, es: spa, fr: fra, nl: nld, zh: zho, ru: rus, el: ell, hu: hun, pl: pol, ja: jpn, ko: kor };

/** Lower-case content words, stopwords of the text's language (and English) removed. */
export function wordTokens(text: string, language = "en"): string[] {
  const kept = removeStopwords(removeStopwords(words(text), STOPWORDS[language] ?? eng), eng);
  // One Latin letter or one digit says nothing about a story.
  return kept.filter((w) => !/^[\p{Script=Latin}\d]$/u.test(w));
}

/** Language-neutral clues: numbers of two or more digits other than years ("11.6", "737") and names in Latin
 * letters that start with a capital or are acronyms ("NASA", "WildFly"), as they appear in any language. */
export function anchorTokens(text: string): string[] {
  const anchors = new Set<string>();
  for (const m of text.matchAll(/\d+(?:[.,]\d+)*/g)) {
    const digits = m[0].replace(/\D/g, "");
    // Years are in half of all stories: no clue which one this is.
    if (digits.length >= 2 && !/^(19|20)\d\d$/.test(m[0])) anchors.add(m[0].replace(",", "."));
  }
  for (const m of text.matchAll(/(?<![\p{Script=Latin}\d])(?=\p{Script=Latin})\p{Lu}[\p{Script=Latin}\d-]{2,}/gu)) {
    const word = m[0].toLowerCase();
    if (!ANY_STOPWORD.has(word)) anchors.add(word); // "The", "Die", "Il" at a sentence start are no names
  }
  return [...anchors];
}

const ANY_STOPWORD = new Set(Object.values(STOPWORDS).flat());

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}
