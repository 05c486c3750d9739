// Word segmentation (Intl.Segmenter: dictionary-based for Chinese) and the content words
// that overlap scores compare.
import { segmenter } from "./sentences.js";

/** Word-like segments, lower-cased. Han text is split into dictionary words whatever the locale. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter("und", "word").segment(text)) {
    if (s.isWordLike) out.push(s.segment.toLowerCase());
  }
  return out;
}

const EN_STOP = new Set(
  "a an the and or but if of to in on at by for with from as is are was were be been being it its this that these those he she they we you i his her their our your them him us not no so than then there here has have had do does did will would can could should may might must also into over about after before said says say".split(" "),
);
const ZH_STOP = new Set("的 了 是 在 和 与 及 也 就 都 而 或 被 把 对 从 向 为 以 于 将 之 其 这 那 有 个 等 据 说 称 表示 一个 我们 他们 她 他 它 今天 日前".split(" "));

export function isStopWord(w: string): boolean {
  return EN_STOP.has(w) || ZH_STOP.has(w);
}

/** Words that carry meaning: stop words dropped, numbers kept. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => !isStopWord(w));
}

export function isEnglishStopWord(w: string): boolean {
  return EN_STOP.has(w);
}
