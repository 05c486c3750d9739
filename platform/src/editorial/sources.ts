// Sources as the roles see them: a small record per source, and the delimited data blocks
// prompts carry them in (source text is data, never instructions).
import type { Source } from "../db/schema.js";
import { dataBlock } from "../router/prompt.js";
import { endsSentence } from "../router/truncation.js";
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
