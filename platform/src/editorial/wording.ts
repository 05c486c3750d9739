// Prompts are written in the edition's language; bilingual editions get both.
import type { EditionConfig } from "../config/schema.js";

export function inLanguage(language: EditionConfig["language"], text: { zh: string; en: string }): string {
  return language === "bilingual" ? `${text.zh}\n\n${text.en}` : text[language];
}
