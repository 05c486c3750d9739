// The offline writer: a script assembled from the sources' own sentences, cleaned of links,
// instructions and promotions, up to the target length, ending on a whole sentence. It cannot
// translate, so it only uses sources in the language it writes.
import type { PartLanguage } from "@newsroom/platform/editorial/settings";
import { endSentence, usableSentences, type SourceBrief } from "@newsroom/platform/editorial/sources";
import { cleanSourceText, findHostile } from "@newsroom/platform/text/hostile";
import { spokenWords } from "@newsroom/platform/text/length";
import { listenerQuestion } from "@newsroom/platform/text/listener-questions";
import { supportOf } from "@newsroom/platform/text/support";
import { attribute, attributeCommentary } from "./attribution.js";

export interface ExtractiveRequest {
  language: PartLanguage;
  targetWords: number;
  anchors: 1 | 2;
  sources: SourceBrief[];
  /** Sentences a reviewer objected to: left out of this version. */
  avoid?: string[];
  /** The story's place in the show (1-based): the attribution and the co-host's questions vary with it. */
  position?: number;
  /** On-air names of anchor A (the lead) and B (the co-host): the co-host hands over by name. */
  names?: string[];
  /** A commentary kept in the lineup: its opening says so, and whose views they are. */
  commentary?: boolean;
}

export class CannotWriteOfflineError extends Error {
  override name = "CannotWriteOfflineError";
}

export function extractiveScript(req: ExtractiveRequest): string {
  const { language: lang, targetWords: target } = req;
  const usable = req.sources.filter((s) => s.language === lang).sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  if (!usable.length) throw new CannotWriteOfflineError(`offline writer: no source in ${lang}, and the offline provider cannot translate`);

  const picked: { text: string; feed: string }[] = [];
  let words = 0;
  // Newest source first: the broadcast leads with the latest report. Titles are headlines, not
  // sentences: they are only used when the texts give nothing.
  const take = (s: SourceBrief, sentences: string[]) => {
    for (const sentence of sentences) {
      if (words >= target * 0.9) break;
      if (req.avoid?.length && supportOf(sentence, req.avoid).score >= 0.8) continue;
      if (picked.some((p) => supportOf(sentence, [p.text]).score >= 0.7)) continue;
      const w = spokenWords(sentence);
      if (picked.length && words + w > target * 1.2) continue;
      picked.push({ text: sentence, feed: s.feed });
      words += w;
    }
  };
  for (const s of usable) take(s, usableSentences(s, lang));
  if (!picked.length) for (const s of usable) take(s, [cleanSourceText(endSentence(s.title, lang), lang)].filter(Boolean));
  if (!picked.length) throw new CannotWriteOfflineError(`offline writer: the ${lang} sources hold no usable whole sentence`);

  const sentences = picked.map((p, i) => (i === 0 ? attributed(p.text, p.feed, lang, req.position ?? 1, req.commentary) : p.text));
  if (req.anchors === 2) return conversation(sentences, lang, req.position ?? 1, req.names?.[0]);
  const paragraphs: string[] = [];
  for (let i = 0; i < sentences.length; i += 3) paragraphs.push(sentences.slice(i, i + 3).join(lang === "zh" ? "" : " "));
  return paragraphs.join("\n");
}

/** The first sentence attributed to the feed, in the form `attribution.ts` gives this place in the show. */
function attributed(sentence: string, feed: string, lang: PartLanguage, position: number, commentary = false): string {
  const name = feed.trim();
  if (!name || name.length > 40 || findHostile(name, lang).length) return sentence;
  const lowered = lang === "en" && /^[A-Z][a-z]/.test(sentence) && !/^(I|I'm|I've)\b/.test(sentence) && !isNameLike(sentence) ? sentence[0].toLowerCase() + sentence.slice(1) : sentence;
  return commentary ? attributeCommentary(lowered, sentence, name, lang) : attribute(lowered, sentence, name, lang, position);
}

// "The", "A", "In"... start ordinary sentences; other capitalised first words are likely names.
const COMMON_OPENERS = /^(The|A|An|In|On|At|After|Before|As|It|This|That|These|Those|There|More|Most|Some|Many|Officials?|Police|Prices?|Authorities|Residents|Scientists|Researchers|Experts)\b/;
// A participle opening a phrase ("Speaking on ...", "Following the ...") is not a name either.
const PARTICIPLE_PHRASE = /^[A-Z][a-z]+ing (on|in|at|to|the|a|an|after|before|with|from|for|about|of|by|during|over)\b/;
function isNameLike(sentence: string): boolean {
  return !COMMON_OPENERS.test(sentence) && !PARTICIPLE_PHRASE.test(sentence);
}

/**
 * Two anchors, offline: the lead carries the story in turns of one or two sentences; the co-host
 * comes in between them, by turns with a listener's question to the lead by name ("Lin, what
 * else do we know?", answered by the lead's next turn from the sources) and with a sentence of
 * context from the sources. The questions are fixed forms that carry no fact
 * (platform/src/text/listener-questions.ts). Turns, not alternate sentences.
 */
function conversation(sentences: string[], lang: PartLanguage, position: number, lead: string | undefined): string {
  const glue = lang === "zh" ? "" : " ";
  const turns: string[] = [];
  let i = 0;
  let coHostTurns = 0;
  while (i < sentences.length) {
    const said = sentences.slice(i, i + (sentences.length - i > 2 ? 2 : 1));
    turns.push(`A: ${said.join(glue)}`);
    i += said.length;
    if (i >= sentences.length) break;
    // The first co-host turn of a story asks (the lead has more to answer with), the next adds context, and so on.
    const asks = coHostTurns++ % 2 === 0;
    turns.push(`B: ${asks ? listenerQuestion(lang, position - 1 + coHostTurns - 1, lead) : sentences[i++]}`);
  }
  return turns.join("\n");
}
