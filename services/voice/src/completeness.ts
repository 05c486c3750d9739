// Is this audio the whole text? Speech has a pace: Mandarin in characters per second,
// English in words per minute. Audio far shorter than its text's expected speaking time was
// cut off; audio with no energy is silence. Neither ships.
import { durationMs, rms, type Audio } from "./pcm.js";
import type { TtsKind } from "./providers/types.js";

export interface SpeechRate {
  zhCharsPerSec: number;
  enWordsPerMin: number;
}

/**
 * Typical pace per engine. The local rates were measured on espeak-ng 1.0.2 at its default
 * 175 wpm setting, pauses included: ~160 wpm in English, ~3.4 Han characters/s with `cmn`
 * (`npx tsx bench/voice/calibrate.ts` measures them again; test/voice/completeness.test.ts keeps them honest).
 * Vendor rates are those of their news-reading voices at speed 1.0.
 */
export const SPEECH_RATES: Record<TtsKind, SpeechRate> = {
  local: { zhCharsPerSec: 3.4, enWordsPerMin: 160 },
  minimax: { zhCharsPerSec: 4.5, enWordsPerMin: 165 },
  elevenlabs: { zhCharsPerSec: 4.2, enWordsPerMin: 155 },
  openai: { zhCharsPerSec: 4.5, enWordsPerMin: 160 },
};

/** Shorter than this share of the expected time (less a little slack for very short lines) is cut off. */
export const CUT_OFF_RATIO = 0.6;
const SHORT_SLACK_MS = 150;
/** Below this RMS level (about -50 dBFS) the audio is silence. */
export const SILENCE_RMS = 0.003;

const HAN = /\p{Script=Han}/gu;
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** How long `text` takes to say at the given pace, in milliseconds. */
export function expectedMs(text: string, rate: SpeechRate): number {
  const han = text.match(HAN)?.length ?? 0;
  const words = text.replace(HAN, " ").match(WORD)?.length ?? 0;
  return Math.round((han / rate.zhCharsPerSec) * 1000 + (words / rate.enWordsPerMin) * 60_000);
}

export type AudioVerdict =
  | { ok: true; durationMs: number; expectedMs: number }
  | { ok: false; reason: "empty" | "silent" | "cut_off"; durationMs: number; expectedMs: number; message: string };

/** Whether `audio` can be the whole of `text` spoken by an engine of this kind. */
export function checkAudio(audio: Audio, text: string, kind: TtsKind): AudioVerdict {
  const expected = expectedMs(text, SPEECH_RATES[kind]);
  const got = durationMs(audio);
  if (audio.pcm.length === 0 || got < 50) return { ok: false, reason: "empty", durationMs: got, expectedMs: expected, message: "no audio came back" };
  if (rms(audio.pcm) < SILENCE_RMS)
    return { ok: false, reason: "silent", durationMs: got, expectedMs: expected, message: `${(got / 1000).toFixed(1)} s of silence` };
  if (got < CUT_OFF_RATIO * expected - SHORT_SLACK_MS)
    return {
      ok: false,
      reason: "cut_off",
      durationMs: got,
      expectedMs: expected,
      message: `cut off: ${(got / 1000).toFixed(1)} s of audio for text that takes about ${(expected / 1000).toFixed(1)} s to say`,
    };
  return { ok: true, durationMs: got, expectedMs: expected };
}
