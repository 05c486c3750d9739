// Which language a text is written in, for the languages the newsroom speaks (zh, en).
// Deterministic: the share of Han characters, and for Latin script the share of English
// function words (which tells English from German, Italian or Portuguese).
import { isEnglishStopWord, words } from "./words.js";

const HAN = /\p{Script=Han}/gu;
const LETTER = /\p{L}/gu;

/** Share of Han characters among all letters (0 when there are no letters). */
export function hanShare(text: string): number {
  const letters = text.match(LETTER)?.length ?? 0;
  return letters ? (text.match(HAN)?.length ?? 0) / letters : 0;
}

/** "zh", "en", or "other" (another language, or too little text to tell). */
export function detectLanguage(text: string): "zh" | "en" | "other" {
  if (hanShare(text) >= 0.3) return "zh";
  const ws = words(text);
  if (ws.length < 3) return "other";
  const english = ws.filter(isEnglishStopWord).length / ws.length;
  return english >= 0.12 ? "en" : "other";
}

/** Normalises a feed's language tag ("zh-CN", "en-us", "EN") to its primary subtag. */
export function primaryLanguage(tag: string | null | undefined): string {
  return (tag ?? "").toLowerCase().split(/[-_]/)[0] || "und";
}
