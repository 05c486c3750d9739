// What every TTS provider offers the router: text in, 16-bit mono PCM out, errors classified.
import type { CallOutcome } from "@newsroom/platform/db/schema";
import type { TtsProviderConfig } from "@newsroom/platform/config/schema";
import type { SpeechLanguage } from "../lexicon.js";
import type { Audio } from "../pcm.js";

export type TtsKind = TtsProviderConfig["kind"];

export interface SpeechRequest {
  text: string;
  /** The provider's own voice id (for local: an espeak voice such as "cmn" or "en-us+f3"). */
  voice: string;
  language: SpeechLanguage;
  signal: AbortSignal;
}

export interface TtsEngine {
  /** Name under tts_providers. */
  readonly name: string;
  readonly kind: TtsKind;
  readonly model: string;
  /** Longest text one request may carry. */
  readonly maxChars: number;
  synthesize(req: SpeechRequest): Promise<Audio>;
  /** The vendor's streaming endpoint: audio pieces as they arrive, all at one sample rate. */
  stream?(req: SpeechRequest): AsyncIterable<Audio>;
  close?(): Promise<void>;
}

/** What every engine states about itself: name, kind, model and input limit (config or defaults). */
export function engineBasics(name: string, kind: TtsKind, config: TtsProviderConfig): Pick<TtsEngine, "name" | "kind" | "model" | "maxChars"> {
  return { name, kind, model: config.model ?? DEFAULT_MODEL[kind], maxChars: config.max_chars ?? DEFAULT_MAX_CHARS[kind] };
}

/** A failed request, classified: `retryable` says whether the same provider may be asked again. */
export class TtsError extends Error {
  override name = "TtsError";
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly outcome: CallOutcome = "error",
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Input limits per request when the config gives none (vendor limits, with room to spare). */
export const DEFAULT_MAX_CHARS: Record<TtsKind, number> = { minimax: 3000, elevenlabs: 5000, openai: 4096, local: 2000 };

export const DEFAULT_MODEL: Record<TtsKind, string> = {
  minimax: "speech-01-turbo",
  elevenlabs: "eleven_multilingual_v2",
  openai: "gpt-4o-mini-tts",
  local: "espeak-ng",
};

/** Which camp a TTS vendor belongs to, for the usage report (TTS providers carry no camp in config). */
export const TTS_CAMP: Record<TtsKind, "us" | "cn" | "local"> = { minimax: "cn", elevenlabs: "us", openai: "us", local: "local" };
