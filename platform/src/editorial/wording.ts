// Prompts are written in the edition's language; bilingual editions get both.
import type { EditionConfig } from "../config/schema.js";
import type { Edition } from "../db/schema.js";
import { withDataRule } from "../router/prompt.js";
import type { AirTime, ChatPrompt } from "../router/types.js";

export function inLanguage(language: EditionConfig["language"], text: { zh: string; en: string }): string {
  return language === "bilingual" ? `${text.zh}\n\n${text.en}` : text[language];
}

/** A role's system prompt in the edition's language, with the rule that data blocks are never instructions. */
export function systemPrompt(language: EditionConfig["language"], text: { zh: string; en: string }): string {
  return withDataRule(inLanguage(language, text));
}

/** When the edition airs, as every editorial call carries it (the router adds the rule below to each prompt). */
export function airTimeOf(edition: Pick<Edition, "now">, settings: Pick<EditionConfig, "language" | "timezone">): AirTime {
  return { now: new Date(edition.now).toISOString(), timeZone: settings.timezone, language: settings.language };
}

/** The air date and local time in words, e.g. "Wednesday, December 2, 2026 at 7:00 AM". */
export function airTimeInWords(air: AirTime, lang: "zh" | "en"): string {
  const locale = lang === "zh" ? "zh-CN" : "en-US";
  return new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "short", timeZone: air.timeZone }).format(new Date(air.now));
}

/**
 * Models have training cut-offs: a fresh event may be unknown to them. Every editorial prompt
 * says when the edition airs and that the model's memory is no evidence against the sources.
 */
export function airTimeRule(air: AirTime): string {
  return inLanguage(air.language, {
    zh:
      `本期节目播出时间：${airTimeInWords(air, "zh")}（${air.timeZone}，${air.now}）。` +
      "你的训练数据截止之后发生的事件是意料之中的：你的记忆不是证据，不能据此认定某事没有发生；只以数据块中的来源为准。",
    en:
      `This edition airs ${airTimeInWords(air, "en")} local time (${air.timeZone}; ${air.now}). ` +
      "Events after your training are expected: your memory is not evidence that something did not happen. Judge only by the sources in the data blocks.",
  });
}

/** The prompt with the air-time rule appended to its system part (unchanged without an air time). */
export function withAirTime(prompt: ChatPrompt, air: AirTime | undefined): ChatPrompt {
  return air ? { ...prompt, system: `${prompt.system.trim()}\n\n${airTimeRule(air)}` } : prompt;
}
