// A strict-enough WebVTT reader for tests: header, cue timings, payload lines.

export interface ParsedCue {
  id?: string;
  start: number;
  end: number;
  text: string;
}

const TIME = /^(?:(\d{2,}):)?(\d{2}):(\d{2})\.(\d{3})$/;

function seconds(t: string): number {
  const m = TIME.exec(t);
  if (!m) throw new Error(`bad VTT timestamp ${JSON.stringify(t)}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

export function parseVtt(text: string): ParsedCue[] {
  const blocks = text.replace(/\r\n/g, "\n").split(/\n{2,}/);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(blocks[0].split("\n")[0])) throw new Error("missing WEBVTT header");
  const cues: ParsedCue[] = [];
  for (const block of blocks.slice(1)) {
    const lines = block.split("\n").filter((l) => l !== "");
    if (!lines.length) continue;
    const timingAt = lines[0].includes("-->") ? 0 : 1;
    const timing = lines[timingAt];
    if (!timing?.includes("-->")) throw new Error(`cue without timing: ${JSON.stringify(block)}`);
    const [a, b] = timing.split("-->").map((s) => s.trim().split(/\s+/)[0]);
    const payload = lines.slice(timingAt + 1).join("\n");
    if (payload.includes("-->")) throw new Error("cue text contains -->");
    if (/<(?!\/?(?:v|c|i|b|u|ruby|rt|lang)[ .>])/.test(payload)) throw new Error(`unescaped < in cue text: ${payload}`);
    cues.push({ id: timingAt ? lines[0] : undefined, start: seconds(a), end: seconds(b), text: payload });
  }
  return cues;
}
