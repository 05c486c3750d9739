// The embedded default voice: espeak-ng (WASM) in one worker thread per process, kept warm.
// Voices are "<language>[+variant]": the language part follows the text being read, the
// variant ("+f3", "+m3") is what keeps a persona recognisable.
import { Worker } from "node:worker_threads";
import type { TtsProviderConfig } from "@newsroom/platform/config/schema";
import type { SpeechLanguage } from "../lexicon.js";
import { parseWav, type Audio } from "../pcm.js";
import { abortError } from "./http.js";
import { engineBasics, TtsError, type SpeechRequest, type TtsEngine } from "./types.js";

/** espeak's default speaking rate, words per minute. */
export const ESPEAK_WPM = 175;

const LANGUAGE_VOICE: Record<SpeechLanguage, string> = { zh: "cmn", en: "en-us" };

/** "cmn" / "en-us+f3" / "+m3" as an espeak voice for text in `language`. */
export function espeakVoice(voice: string, language: SpeechLanguage): string {
  const [base = "", variant] = voice.split("+");
  const fits = language === "zh" ? /^(cmn|zh|yue)/i.test(base) : /^en/i.test(base);
  return `${fits ? base : LANGUAGE_VOICE[language]}${variant ? `+${variant}` : ""}`;
}

interface Pending {
  resolve(audio: Audio): void;
  reject(err: Error): void;
}

/** One espeak worker shared by every local engine in the process. */
class EspeakWorker {
  private worker: Worker;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  readonly ready: Promise<void>;

  constructor() {
    this.worker = new Worker(new URL("./espeak-worker.mjs", import.meta.url));
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.once("error", reject);
      this.worker.on("message", (msg: { ready?: boolean; id?: number; wav?: Uint8Array; error?: string }) => {
        if (msg.ready) return resolve();
        const p = this.pending.get(msg.id!);
        if (!p) return;
        this.pending.delete(msg.id!);
        if (!this.pending.size) this.worker.unref();
        if (msg.error) p.reject(new TtsError(`local engine: ${msg.error}`, true));
        else
          try {
            p.resolve(parseWav(msg.wav!));
          } catch (err) {
            p.reject(new TtsError(`local engine: ${(err as Error).message}`, true));
          }
      });
    });
    this.worker.on("error", (err) => {
      for (const p of this.pending.values()) p.reject(new TtsError(`local engine crashed: ${err.message}`, true));
      this.pending.clear();
      shared = undefined;
    });
  }

  async speak(voice: string, text: string, speed: number): Promise<Audio> {
    await this.ready;
    const id = this.nextId++;
    return new Promise<Audio>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A request in flight keeps the process alive; an idle worker does not.
      this.worker.ref();
      this.worker.postMessage({ id, voice, text, speed });
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

let shared: EspeakWorker | undefined;

function espeak(): EspeakWorker {
  return (shared ??= new EspeakWorker());
}

/** Instantiates the engine now, so the first request does not pay for it. */
export async function warmLocalEngine(): Promise<void> {
  await espeak().ready;
}

/** Stops the shared worker (tests and shutdown); the next request starts a new one. */
export async function stopLocalEngine(): Promise<void> {
  const w = shared;
  shared = undefined;
  await w?.terminate();
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
  return {
    ...engineBasics(name, "local", config),
    async synthesize(req: SpeechRequest) {
      return abortable(name, req.signal, espeak().speak(espeakVoice(req.voice, req.language), req.text, ESPEAK_WPM));
    },
  };
}
