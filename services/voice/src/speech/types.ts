// What callers of the synthesizer see, and what its parts (attempt, stream, pins) share.
import type { IPolicy } from "cockatiel";
import type { Persona, TtsProviderConfig } from "@newsroom/platform/config/schema";
import type { Db } from "@newsroom/platform/db/connect";
import type { Logger } from "@newsroom/platform/log";
import type { Lexicon, SpeechLanguage } from "../lexicon.js";
import type { TtsEngine } from "../providers/types.js";
import type { VoiceChoice } from "../voices.js";
import type { StoryPins } from "./pins.js";

export interface SynthesizeOptions {
  persona: Persona;
  language: SpeechLanguage;
  /** Lines with the same key (one story) keep one voice per persona. */
  storyKey?: string;
  /** For the ledger. */
  editionId?: string;
  storyId?: string;
  signal?: AbortSignal;
  /** Called between requests of a long line (keeps a bus message from being redelivered). */
  working?(): void;
}

export interface Synthesis {
  pcm: Int16Array;
  sampleRate: number;
  provider: string;
  voice: string;
  /** Requests made, retries and fallbacks included. */
  attempts: number;
  durationMs: number;
  /** Expected speaking time of the text at this engine's pace. */
  expectedMs: number;
  /** The text as it was spoken (after normalisation). */
  spoken: string;
}

export interface SpeechChunk {
  seq: number;
  pcm: Int16Array;
  sampleRate: number;
  provider: string;
  voice: string;
  last: boolean;
}

export interface Synthesizer {
  synthesize(text: string, opts: SynthesizeOptions): Promise<Synthesis>;
  /** Audio as it is produced: the first sentence on its own, so the first chunk comes early. */
  synthesizeStream(text: string, opts: SynthesizeOptions): AsyncGenerator<SpeechChunk>;
  /** The voice a persona has in a story so far for `language` ("provider/voice"), if any. */
  storyVoice(storyKey: string, persona: Persona, language: SpeechLanguage): string | undefined;
  /** Drops what the synthesizer remembers about a story. */
  forgetStory(storyKey: string): void;
  /** Starts the local engine now, so the first request does not wait for it. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** Every voice of the persona's chain failed. */
export class VoiceChainExhaustedError extends Error {
  override name = "VoiceChainExhaustedError";
  constructor(
    readonly persona: Persona,
    readonly failures: { ref: string; error: string }[],
    readonly attempts: number,
  ) {
    super(`${persona}: every voice failed (${failures.map((f) => `${f.ref}: ${f.error}`).join("; ")})`);
  }
}

/** One tts_providers entry, ready to call: its engine, settings and resilience policy. */
export interface SpeechProvider {
  engine: TtsEngine;
  config: TtsProviderConfig;
  policy: IPolicy;
}

/** What the synthesizer's parts share: providers, voice chains, story pins, ledger and log. */
export interface SpeechKit {
  db?: Db;
  log?: Logger;
  lexicon: Lexicon;
  provider(name: string): SpeechProvider;
  /** The persona's chain of voices for the language (config `voices`, see ../voices.ts). */
  chainOf(persona: Persona, language: SpeechLanguage): VoiceChoice[];
  pins: StoryPins;
}
