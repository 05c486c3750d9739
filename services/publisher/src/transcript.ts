// WebVTT transcript: each voiced segment cut into caption-sized cues (at most two lines), timed
// from the segment's audio sample counts.
import { captionCues } from "./captions.js";

export interface TranscriptCue {
  startMs: number;
  endMs: number;
  text: string;
  /** Speaker persona; written as a voice tag when `voices` is on (two-anchor editions). */
  speaker?: string;
}

export function buildWebVtt(cues: TranscriptCue[], opts: { voices?: boolean } = {}): string {
  const out = ["WEBVTT", ""];
  let n = 0;
  for (const cue of cues.flatMap(captionCues)) {
    const lines = cue.lines.map(escapeCueText).filter(Boolean);
    if (!lines.length) continue;
    const voice = opts.voices && cue.speaker ? `<v ${escapeCueText(cue.speaker)}>` : "";
    out.push(`c${++n}`, `${vttTime(cue.startMs)} --> ${vttTime(Math.max(cue.endMs, cue.startMs + 1))}`, voice + lines.join("\n"), "");
  }
  return out.join("\n");
}

/** hh:mm:ss.ttt */
export function vttTime(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor((t % 3_600_000) / 60_000);
  const s = Math.floor((t % 60_000) / 1000);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(t % 1000, 3)}`;
}

/** Cue text is a tiny markup language: `&`, `<` and `>` are escaped; a blank line would end the cue. */
function escapeCueText(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}
