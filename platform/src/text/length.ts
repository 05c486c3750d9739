// Spoken length in "words": English words, or Chinese characters / 2 (the unit config's
// edition.target_words uses), so one target serves both languages.
import { words } from "./words.js";

const HAN = /\p{Script=Han}/gu;

export function spokenWords(text: string): number {
  const han = text.match(HAN)?.length ?? 0;
  const latin = words(text.replace(HAN, " ")).length;
  return Math.round(han / 2) + latin;
}

/**
 * The shortest script that is not "far under target": 40% of the target, or of what the
 * sources hold when they are shorter (a grounded script cannot be longer than its material).
 */
export function lengthFloor(targetWords: number, sourceWords: number): number {
  return Math.floor(0.4 * Math.min(targetWords, sourceWords));
}
