// WebVTT transcript, one cue per voiced segment, timed from the audio's sample counts.

export interface TranscriptCue {
  startMs: number;
  endMs: number;
  text: string;
  /** Speaker persona; written as a voice tag when `voices` is on (two-anchor editions). */
  speaker?: string;
}

export function buildWebVtt(cues: TranscriptCue[], opts: { voices?: boolean } = {}): string {
  const out = ["WEBVTT", ""];
  cues.forEach((cue, i) => {
    const text = escapeCueText(cue.text);
    if (!text) return;
    const voice = opts.voices && cue.speaker ? `<v ${escapeCueText(cue.speaker)}>` : "";
    out.push(`c${i + 1}`, `${vttTime(cue.startMs)} --> ${vttTime(Math.max(cue.endMs, cue.startMs + 1))}`, voice + text, "");
  });
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
