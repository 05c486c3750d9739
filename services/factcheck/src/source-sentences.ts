// The sentences a script is checked against: each source's title and text, in one language.
import { sourceTexts, type SourceBrief } from "@newsroom/platform/editorial/sources";
import type { PartLanguage } from "@newsroom/platform/editorial/settings";
import { splitSentences } from "@newsroom/platform/text/sentences";

export function sourcesIn(sources: SourceBrief[], lang: PartLanguage): SourceBrief[] {
  return sources.filter((s) => s.language === lang);
}

export function sourceSentences(sources: SourceBrief[], lang: PartLanguage): string[] {
  return sourceTexts(sourcesIn(sources, lang)).flatMap((t) => splitSentences(t, lang));
}
