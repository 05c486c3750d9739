// The edition's audio: every segment brought to one sample rate and one level, laid end to
// end with short pauses, encoded once as MP3. Times come from sample counts, so chapters and
// transcript cues land exactly where the audio is: the MP3 opens with an Info frame whose LAME
// tag gives the encoder delay, which players drop (mp3-info-frame.ts), so PCM time 0 is play time 0.
import { Mp3Encoder } from "@breezystack/lamejs";
import { normaliseLevel, type LevelOptions } from "./levels.js";
import { withInfoFrame } from "./mp3-info-frame.js";
import { resample } from "./resample.js";

export interface PcmClip {
  /** 16-bit little-endian mono PCM, as the voice service stores it. */
  pcm: Uint8Array;
  sampleRate: number;
}

export interface AudioPart {
  /** Intro, a story, or the outro: chapters are built from parts. */
  id: string;
  clips: PcmClip[];
}

export interface AudioOptions {
  sampleRate?: number;
  kbps?: number;
  /** Silence between parts (between stories). */
  partGapMs?: number;
  /** Silence between clips of one part (sentences, speaker turns). */
  clipGapMs?: number;
  levels?: LevelOptions;
  /** Called between pieces of work (a long edition takes seconds; the event loop stays free). */
  onProgress?: () => void;
}

export interface TimedSpan {
  startMs: number;
  endMs: number;
}

export interface PartTiming extends TimedSpan {
  id: string;
  clips: TimedSpan[];
}

export interface EditionAudio {
  mp3: Buffer;
  sampleRate: number;
  /** Length of the PCM that was encoded: what a player plays (it trims the encoder delay and padding the Info frame gives). */
  durationMs: number;
  parts: PartTiming[];
  /** Silence inserted between clips and parts, in ms (duration = clips + gaps). */
  gapMs: number;
}

export const DEFAULT_AUDIO = { sampleRate: 24_000, kbps: 64, partGapMs: 700, clipGapMs: 200 } as const;

export async function buildEditionAudio(parts: AudioPart[], opts: AudioOptions = {}): Promise<EditionAudio> {
  const rate = opts.sampleRate ?? DEFAULT_AUDIO.sampleRate;
  const partGap = Math.round(((opts.partGapMs ?? DEFAULT_AUDIO.partGapMs) * rate) / 1000);
  const clipGap = Math.round(((opts.clipGapMs ?? DEFAULT_AUDIO.clipGapMs) * rate) / 1000);
  const ms = (samples: number) => Math.round((samples * 1000) / rate);

  const chunks: Float32Array[] = [];
  let cursor = 0;
  let gapSamples = 0;
  const silence = (n: number) => {
    if (n <= 0) return;
    chunks.push(new Float32Array(n));
    cursor += n;
    gapSamples += n;
  };
  const timings: PartTiming[] = [];
  for (const [p, part] of parts.entries()) {
    if (p > 0) silence(partGap);
    const start = cursor;
    const clips: TimedSpan[] = [];
    for (const [c, clip] of part.clips.entries()) {
      if (c > 0) silence(clipGap);
      const samples = normaliseLevel(resample(pcm16ToFloat(clip.pcm), clip.sampleRate, rate), rate, opts.levels);
      clips.push({ startMs: ms(cursor), endMs: ms(cursor + samples.length) });
      chunks.push(samples);
      cursor += samples.length;
      await breathe(opts.onProgress);
    }
    timings.push({ id: part.id, startMs: ms(start), endMs: ms(cursor), clips });
  }

  const mp3 = withInfoFrame(await encodeMp3(chunks, rate, opts.kbps ?? DEFAULT_AUDIO.kbps, opts.onProgress), { samples: cursor, sampleRate: rate, encoder: LAMEJS_VERSION });
  return { mp3, sampleRate: rate, durationMs: ms(cursor), parts: timings, gapMs: ms(gapSamples) };
}

/** Lets timers and I/O (bus heartbeats, health checks) run between CPU-heavy steps. */
function breathe(onProgress?: () => void): Promise<void> {
  onProgress?.();
  return new Promise((resolve) => setImmediate(resolve));
}

export function pcm16ToFloat(pcm: Uint8Array): Float32Array {
  if (pcm.byteLength % 2 !== 0) throw new RangeError(`16-bit PCM must have an even byte length (got ${pcm.byteLength})`);
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const out = new Float32Array(pcm.byteLength / 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true) / 32768;
  return out;
}

/** The LAME release lamejs ports, as LAME names itself in its tag (players trim delay and padding for "LAME…"). */
const LAMEJS_VERSION = "LAME3.98r";

/** lamejs wants Int16 frames; it returns Int8Array views over its own buffer, so each is copied. */
async function encodeMp3(chunks: Float32Array[], rate: number, kbps: number, onProgress?: () => void): Promise<Buffer> {
  const encoder = new Mp3Encoder(1, rate, kbps);
  const out: Buffer[] = [];
  const take = (bytes: Uint8Array) => {
    if (bytes.byteLength) out.push(Buffer.from(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
  };
  const FRAME = 1152;
  for (const chunk of chunks) {
    const ints = new Int16Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) ints[i] = Math.max(-32768, Math.min(32767, Math.round(chunk[i] * 32767)));
    for (let i = 0; i < ints.length; i += FRAME) {
      take(encoder.encodeBuffer(ints.subarray(i, i + FRAME)));
      if ((i / FRAME) % 200 === 199) await breathe(onProgress);
    }
  }
  take(encoder.flush());
  return Buffer.concat(out);
}
