// The embedded default voice: espeak-ng (WASM) in a pool of worker threads per process (one per
// core by default, `tts_providers.<name>.workers`), kept warm; first chunks jump the queue.
// Voices are "<language>[+variant]": the language part follows the text being read, the
// variant ("+f3", "+m3") is what keeps a persona recognisable.
import type { TtsProviderConfig } from "@newsroom/platform/config/schema";
import type { SpeechLanguage } from "../lexicon.js";
import { isFirstChunk } from "../chunks.js";
import type { Audio } from "../pcm.js";
import { defaultWorkers, EspeakPool } from "./espeak-pool.js";
import { abortError } from "./http.js";
import { engineBasics, type SpeechRequest, type TtsEngine } from "./types.js";

/** espeak's default speaking rate, words per minute. */
export const ESPEAK_WPM = 175;

const LANGUAGE_VOICE: Record<SpeechLanguage, string> = { zh: "cmn", en: "en-us" };

/** "cmn" / "en-us+f3" / "+m3" as an espeak voice for text in `language`. */
export function espeakVoice(voice: string, language: SpeechLanguage): string {
  const [base = "", variant] = voice.split("+");
  const fits = language === "zh" ? /^(cmn|zh|yue)/i.test(base) : /^en/i.test(base);
  return `${fits ? base : LANGUAGE_VOICE[language]}${variant ? `+${variant}` : ""}`;
}

let shared: EspeakPool | undefined;
/** Workers the local engines made since the pool last stopped ask for (the largest wins). */
let wanted = 0;

function espeak(size = wanted || defaultWorkers()): EspeakPool {
  if (shared) shared.grow(size);
  else shared = new EspeakPool(size);
  return shared;
}

/** Starts every worker now and waits for its engine, so the first requests do not pay for it. */
export async function warmLocalEngine(): Promise<void> {
  await espeak().ready();
}

/** The running pool, if any (its counters; tests kill a worker through it). */
export function localEnginePool(): EspeakPool | undefined {
  return shared;
}

/** Stops the workers (tests and shutdown); the next request starts new ones. */
export async function stopLocalEngine(): Promise<void> {
  const pool = shared;
  shared = undefined;
  wanted = 0;
  await pool?.close();
}

/** The worker finishes what it started; a caller that gave up (timeout, cancel) stops waiting. */
function abortable(name: string, signal: AbortSignal, work: Promise<Audio>): Promise<Audio> {
  const gaveUp = () => abortError(name, signal);
  if (signal.aborted) return Promise.reject(gaveUp());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(gaveUp());
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export function createLocalEngine(name: string, config: TtsProviderConfig): TtsEngine {
  const workers = config.workers ?? defaultWorkers();
  wanted = Math.max(wanted, workers);
  return {
    ...engineBasics(name, "local", config),
    async synthesize(req: SpeechRequest) {
      // A first chunk (one sentence or less) goes ahead of queued longer pieces: a listener waits for it.
      const work = espeak(workers).speak(
        { voice: espeakVoice(req.voice, req.language), text: req.text, speed: ESPEAK_WPM },
        { urgent: isFirstChunk(req.text, req.language), signal: req.signal },
      );
      return abortable(name, req.signal, work.then((s) => s.audio));
    },
  };
}
