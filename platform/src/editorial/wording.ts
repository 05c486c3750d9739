// Prompts are written in the edition's language; bilingual editions get both.
import type { EditionConfig } from "../config/schema.js";
import { withDataRule } from "../router/prompt.js";

export function inLanguage(language: EditionConfig["language"], text: { zh: string; en: string }): string {
  return language === "bilingual" ? `${text.zh}\n\n${text.en}` : text[language];
}

/** A role's system prompt in the edition's language, with the rule that data blocks are never instructions. */
export function systemPrompt(language: EditionConfig["language"], text: { zh: string; en: string }): string {
  return withDataRule(inLanguage(language, text));
}
