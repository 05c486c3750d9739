// Who the show is for: the editors weigh impact and proximity for this audience. The config
// names it (edition.audience); unset, a general audience for the edition's language.
import type { EditionConfig } from "../config/schema.js";

export const DEFAULT_AUDIENCE: Record<EditionConfig["language"], string> = {
  zh: "中国大陆的普通听众：上班族、学生和家庭，关心民生、经济、社会与国际大事",
  en: "general English-speaking listeners who want the day's most important news for their lives, at home and abroad",
  bilingual: "中英双语的普通听众 (general listeners who follow the news in Chinese and English): 关心民生、经济与国际大事",
};

export function editionAudience(settings: Pick<EditionConfig, "audience" | "language">): string {
  return settings.audience ?? DEFAULT_AUDIENCE[settings.language];
}
