// Sources as the roles see them: a small record per source, and the delimited data blocks
// prompts carry them in (source text is data, never instructions).
import type { Source } from "../db/schema.js";
import { dataBlock } from "../router/prompt.js";
import { endsSentence } from "../router/truncation.js";
import { cleanSourceText } from "../text/hostile.js";
import { spokenWords } from "../text/length.js";
import { splitSentences } from "../text/sentences.js";
import { sourceLanguage } from "./material.js";

export interface SourceBrief {
  id: string;
  feed: string;
  title: string;
  text: string;
  /** "zh", "en" or another primary language tag. */
  language: string;
  publishedAt: string;
}

export function sourceBrief(s: Source): SourceBrief {
  return {
    id: s.id,
    feed: s.feed_title?.trim() || hostOf(s.feed),
    title: s.title,
    text: s.text,
    language: sourceLanguage(s),
    publishedAt: new Date(s.published_at).toISOString(),
  };
}

export function sourceBlocks(sources: SourceBrief[]): string {
  return sources
    .map((s) => dataBlock(`source ${s.id}`, `feed: ${s.feed} | language: ${s.language} | published: ${s.publishedAt}\n${s.title}\n\n${s.text}`))
    .join("\n\n");
}

/** Title and body of each source, the text a script is checked against. */
export function sourceTexts(sources: SourceBrief[]): string[] {
  return sources.map((s) => `${endSentence(s.title, s.language)} ${s.text}`);
}

/** A title as a sentence: titles usually lack final punctuation. */
export function endSentence(text: string, lang: string): string {
  const t = text.trim();
  if (!t || endsSentence(t)) return t;
  return t + (lang === "zh" ? "。" : ".");
}

function hostOf(feed: string): string {
  try {
    return new URL(feed).hostname.replace(/^www\./, "");
  } catch {
    return feed.split("/").pop() || feed;
  }
}

/**
 * The whole, clean sentences of a source's text that a script may be built from: hostile
 * sentences (links, instructions, promotions) and fragments without final punctuation
 * (headings, list items, cut-off summaries) are left out.
 */
export function usableSentences(source: SourceBrief, lang: string): string[] {
  return splitSentences(cleanSourceText(source.text, lang), lang).filter((s) => endsSentence(s) && spokenWords(s) >= 3);
}

/** How much a grounded script in `lang` could say: the spoken words of the usable sentences (or titles when there are none). */
export function usableWords(sources: SourceBrief[], lang: string): number {
  const own = sources.filter((s) => s.language === lang);
  const text = own.reduce((n, s) => n + usableSentences(s, lang).reduce((m, x) => m + spokenWords(x), 0), 0);
  return text || own.reduce((n, s) => n + spokenWords(s.title), 0);
}

/** Shortest a source's text is cut to when a prompt must fit a small context. */
const MIN_SOURCE_CHARS = 400;

/**
 * RULE (fitting a small context): every source longer than 400 characters is cut to about half,
 * at the last sentence end before the cut when there is one (a review judges what the sources
 * say, so whole sentences matter); null when every source is already that short.
 */
export function shrinkSources<T extends { sources: SourceBrief[] }>(input: T): T | null {
  if (input.sources.every((s) => s.text.length <= MIN_SOURCE_CHARS)) return null;
  return { ...input, sources: input.sources.map((s) => (s.text.length <= MIN_SOURCE_CHARS ? s : { ...s, text: halve(s.text, s.language) })) };
}

function halve(text: string, lang: string): string {
  const limit = Math.max(MIN_SOURCE_CHARS, Math.floor(text.length / 2));
  let kept = "";
  for (const s of splitSentences(text, lang)) {
    const next = kept ? `${kept}${lang === "zh" ? "" : " "}${s}` : s;
    if (next.length > limit) break;
    kept = next;
  }
  return kept || text.slice(0, limit);
}
