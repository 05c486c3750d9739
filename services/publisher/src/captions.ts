// Caption-sized cues: a segment's text cut into cues of at most two lines (about 80 characters
// in English, 40 in Chinese), at sentence boundaries first, then clauses, then words, each
// timed by its share of the segment's audio (speech runs at a near-even rate within a segment).
// Times are PCM times, not shifted for the encoder delay: players drop it, as the MP3's LAME tag
// tells them (mp3-info-frame.ts).
import { hanShare } from "@newsroom/platform/text/language";
import { segmenter, splitSentences } from "@newsroom/platform/text/sentences";
import type { TranscriptCue } from "./transcript.js";

/** Per-line limits: two lines make a cue. */
const LINE = { zh: 20, en: 42 } as const;

export function captionCues(cue: TranscriptCue): (TranscriptCue & { lines: string[] })[] {
  const text = cue.text.replace(/\s+/g, " ").trim();
  if (!text) return [];
  const zh = hanShare(text) > 0.3;
  const line = zh ? LINE.zh : LINE.en;
  const pieces = merge(
    splitSentences(text, zh ? "zh" : "en").flatMap((s) => fit(s, line * 2, zh)),
    line * 2,
    zh,
  );
  const total = pieces.reduce((n, p) => n + weight(p), 0) || 1;
  const span = Math.max(1, cue.endMs - cue.startMs);
  let at = 0;
  return pieces.map((p) => {
    const startMs = cue.startMs + Math.round((span * at) / total);
    at += weight(p);
    const endMs = cue.startMs + Math.round((span * at) / total);
    return { ...cue, text: p, startMs, endMs, lines: twoLines(p, line, zh) };
  });
}

/** Short neighbours share a cue while they fit: fewer, steadier captions. */
function merge(pieces: string[], max: number, zh: boolean): string[] {
  const out: string[] = [];
  for (const p of pieces) {
    const joined = out.length ? (zh ? out[out.length - 1] + p : `${out[out.length - 1]} ${p}`) : p;
    if (out.length && joined.length <= max) out[out.length - 1] = joined;
    else out.push(p);
  }
  return out;
}

/** Characters that take speaking time (punctuation and spaces take little). */
function weight(s: string): number {
  return Math.max(1, s.replace(/[\s\p{P}]/gu, "").length);
}

/** Cuts a sentence to pieces of at most `max` characters: at clause marks, then between words. */
function fit(sentence: string, max: number, zh: boolean): string[] {
  if (sentence.length <= max) return [sentence];
  // A Latin mark cuts only before a non-digit: 1,700 and 10:30 stay whole.
  const clauses = sentence.split(/(?<=[，、；：—]|[,;:](?!\d))\s*/u).filter(Boolean);
  const pieces: string[] = [];
  let current = "";
  const join = (a: string, b: string) => (a ? (zh ? a + b : `${a} ${b}`) : b);
  for (const clause of clauses) {
    if (join(current, clause).length <= max) current = join(current, clause);
    else if (clause.length <= max) {
      pieces.push(current);
      current = clause;
    } else {
      // A clause too long for a cue is cut between words, with the short clause before it
      // leading its first piece rather than standing alone ("Drought," as a cue of its own).
      const parts = byWords(join(current, clause), max, zh);
      pieces.push(...parts.slice(0, -1));
      current = parts.at(-1)!;
    }
  }
  if (current) pieces.push(current);
  return pieces.map((p) => p.trim());
}

/**
 * Chinese text in units a line may break between: dictionary words (so 星期二 or a Latin name stays
 * whole), with closing punctuation kept on the unit before it and opening punctuation on the one
 * after, so no line starts with "，" or ends with "“".
 */
function zhUnits(text: string): string[] {
  const units: string[] = [];
  let opening = "";
  for (const { segment } of segmenter("zh", "word").segment(text)) {
    if (/^[\s\p{Pe}\p{Pf}，。、；：！？,.;:!?…—%％]+$/u.test(segment) && units.length) units[units.length - 1] += segment; // spaces kept: units' lengths add up to the text's
    else if (/^[\p{Ps}\p{Pi}]+$/u.test(segment)) opening += segment;
    else {
      units.push(opening + segment);
      opening = "";
    }
  }
  if (opening) units.push(opening);
  return units;
}

/** Last resort for a long clause: between words (English) or between dictionary words (Chinese). */
function byWords(clause: string, max: number, zh: boolean): string[] {
  const units = zh ? zhUnits(clause) : clause.split(" ");
  const out: string[] = [];
  let current = "";
  for (const u of units) {
    const next = current ? (zh ? current + u : `${current} ${u}`) : u;
    if (current && next.length > max) {
      out.push(current);
      current = u;
    } else current = next;
  }
  if (current) out.push(current);
  return out;
}

/** One or two lines, broken at the space nearest the middle (English) or at the middle (Chinese). */
function twoLines(text: string, line: number, zh: boolean): string[] {
  if (text.length <= line) return [text];
  if (zh) {
    const units = zhUnits(text);
    const mid = text.length / 2;
    let best = -1;
    for (let i = 1, at = units[0].length; i < units.length; at += units[i].length, i++) if (best === -1 || Math.abs(at - mid) < Math.abs(best - mid)) best = at;
    return best === -1 ? [text] : [text.slice(0, best).trim(), text.slice(best).trim()];
  }
  const mid = text.length / 2;
  let best = -1;
  for (let i = text.indexOf(" "); i !== -1; i = text.indexOf(" ", i + 1)) if (best === -1 || Math.abs(i - mid) < Math.abs(best - mid)) best = i;
  return best === -1 ? [text] : [text.slice(0, best), text.slice(best + 1)];
}
