// The TTS router: text -> speech for a persona, down the persona's voice chain. Per provider:
// a timeout per request, retries with jittered backoff, a circuit breaker. Every request gets a
// ledger row; every piece of audio is checked for silence and cut-offs before it is accepted.
// Within one story (storyKey) a persona keeps the voice it was first given, unless that voice
// fails; then the story moves to the next voice for good (the caller redoes earlier lines).
import { Readable } from "node:stream";
import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  wrap,
  type IPolicy,
} from "cockatiel";
import type { NewsroomConfig, Persona, TtsProviderConfig } from "@newsroom/platform/config/schema";
import type { Db } from "@newsroom/platform/db/connect";
import type { CallOutcome } from "@newsroom/platform/db/schema";
import type { Logger } from "@newsroom/platform/log";
import { firstSentenceFirst, splitForSpeech } from "./chunks.js";
import { checkAudio } from "./completeness.js";
import { loadLexicon, type Lexicon, type SpeechLanguage } from "./lexicon.js";
import { defaultLexicon, normalizeForSpeech } from "./normalize.js";
import { concatPcm, durationMs, type Audio } from "./pcm.js";
import { createEngine } from "./providers/engines.js";
import { stopLocalEngine, warmLocalEngine } from "./providers/local.js";
import { TTS_CAMP, TtsError, type TtsEngine } from "./providers/types.js";
import { recordSpeechCall } from "@newsroom/platform/ledger/speech";
import { currentSpanEvent, endTtsSpan, startTtsSpan } from "./telemetry.js";
import { ttsProviders, voiceChain, type VoiceChoice } from "./voices.js";

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

export interface TtsRouter {
  synthesize(text: string, opts: SynthesizeOptions): Promise<Synthesis>;
  /** Audio as it is produced: the first sentence on its own, so the first chunk comes early. */
  synthesizeStream(text: string, opts: SynthesizeOptions): AsyncGenerator<SpeechChunk>;
  /** The voice a persona has in a story so far ("provider/voice"), if any. */
  storyVoice(storyKey: string, persona: Persona): string | undefined;
  /** Drops what the router remembers about a story. */
  forgetStory(storyKey: string): void;
  /** Starts the local engine now, so the first request does not wait for it. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

export interface TtsRouterDeps {
  config: NewsroomConfig;
  db?: Db;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
  lexicon?: Lexicon;
  /** First retry delay; later ones grow exponentially with jitter. */
  retryDelayMs?: number;
  /** Consecutive failures that open a provider's breaker, and how long it stays open. */
  breaker?: { failures: number; halfOpenAfterMs: number };
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

interface Provider {
  engine: TtsEngine;
  config: TtsProviderConfig;
  policy: IPolicy;
}

/** A piece that failed on one voice after its retries; carries how many requests were made. */
class PieceFailed extends Error {
  constructor(
    override readonly cause: Error,
    readonly tries: number,
  ) {
    super(cause.message);
  }
}

const MAX_PINNED_STORIES = 5_000;

export function createTtsRouter(deps: TtsRouterDeps): TtsRouter {
  const { config, db, log } = deps;
  const env = deps.env ?? process.env;
  const lexicon = deps.lexicon ?? (deps.env ? loadLexicon(deps.env) : defaultLexicon());
  const breakerOpts = deps.breaker ?? { failures: 5, halfOpenAfterMs: 30_000 };
  const providers = new Map<string, Provider>();
  for (const [name, cfg] of Object.entries(ttsProviders(config))) {
    const engine = createEngine(name, cfg, env);
    const breaker = circuitBreaker(
      handleWhen((e) => !isCancellation(e)),
      { halfOpenAfter: breakerOpts.halfOpenAfterMs, breaker: new ConsecutiveBreaker(breakerOpts.failures) },
    );
    breaker.onBreak(() => {
      log?.warn(`TTS provider ${name}: circuit open after ${breakerOpts.failures} failures in a row`);
      currentSpanEvent("breakerOpen", { "gen_ai.provider.name": name });
    });
    breaker.onReset(() => log?.info(`TTS provider ${name}: circuit closed again`));
    const retries = retry(
      handleWhen((e) => e instanceof TtsError && e.retryable),
      { maxAttempts: cfg.max_retries, backoff: new ExponentialBackoff({ initialDelay: deps.retryDelayMs ?? 250, maxDelay: 5_000 }) },
    );
    providers.set(name, { engine, config: cfg, policy: wrap(retries, breaker) });
  }
  const chains = new Map<Persona, VoiceChoice[]>();
  const chainOf = (persona: Persona) => {
    let chain = chains.get(persona);
    if (!chain) chains.set(persona, (chain = voiceChain(config, persona)));
    return chain;
  };

  // storyKey + persona -> index in the persona's chain.
  const pins = new Map<string, number>();
  const pinKey = (storyKey: string, persona: Persona) => `${storyKey}\u0000${persona}`;
  const pinned = (opts: SynthesizeOptions) => (opts.storyKey ? (pins.get(pinKey(opts.storyKey, opts.persona)) ?? 0) : 0);
  const pin = (opts: SynthesizeOptions, index: number) => {
    if (!opts.storyKey) return;
    const key = pinKey(opts.storyKey, opts.persona);
    pins.delete(key);
    pins.set(key, index);
    if (pins.size > MAX_PINNED_STORIES) pins.delete(pins.keys().next().value!);
  };

  /** One piece of text on one voice: requests with retries until its audio passes the checks. */
  async function voicePiece(choice: VoiceChoice, piece: string, opts: SynthesizeOptions, forward?: (a: Audio) => void) {
    const p = providers.get(choice.provider)!;
    let tries = 0;
    try {
      const result = await p.policy.execute(async () => {
        tries++;
        const started = performance.now();
        const span = startTtsSpan(p.engine, choice.voice, opts.persona, [...piece].length);
        const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(p.config.timeout_ms)]) : AbortSignal.timeout(p.config.timeout_ms);
        let outcome: CallOutcome = "ok";
        let error: Error | undefined;
        let note: string | undefined;
        try {
          const req = { text: piece, voice: choice.voice, language: opts.language, signal };
          let audio: Audio;
          if (forward && p.engine.stream) {
            // Streamed audio goes out as it arrives; the whole piece is still checked at its end.
            const parts: Int16Array[] = [];
            let rate = 0;
            for await (const a of p.engine.stream(req)) {
              parts.push(a.pcm);
              rate = a.sampleRate;
              forward(a);
            }
            audio = { pcm: concatPcm(parts), sampleRate: rate };
          } else audio = await p.engine.synthesize(req);
          const verdict = checkAudio(audio, piece, p.engine.kind);
          if (!verdict.ok) {
            note = verdict.message;
            throw new TtsError(`${choice.provider}: ${verdict.message}`, true, verdict.reason === "cut_off" ? "truncated" : "invalid");
          }
          if (forward && !p.engine.stream) forward(audio);
          return { audio, expectedMs: verdict.expectedMs };
        } catch (err) {
          error = err as Error;
          outcome = err instanceof TtsError ? err.outcome : signal.aborted && !opts.signal?.aborted ? "timeout" : "error";
          throw err;
        } finally {
          endTtsSpan(span, outcome, error);
          recordSpeechCall(db, {
            editionId: opts.editionId,
            storyId: opts.storyId,
            persona: opts.persona,
            provider: p.engine.name,
            model: p.engine.model,
            camp: TTS_CAMP[p.engine.kind],
            voice: choice.voice,
            characters: [...piece].length,
            pricePerMchar: p.config.price_per_mchar,
            latencyMs: performance.now() - started,
            outcome,
            errorClass: error ? (error instanceof TtsError && error.status ? `http_${error.status}` : error.name) : undefined,
            note: note ?? (error ? error.message.slice(0, 200) : undefined),
          });
          opts.working?.();
        }
      }, opts.signal);
      return { ...result, tries };
    } catch (err) {
      const cause = err instanceof BrokenCircuitError ? new Error(`${choice.provider}: circuit open (provider failing)`) : (err as Error);
      throw new PieceFailed(cause, tries);
    }
  }

  function fallBack(opts: SynthesizeOptions, choice: VoiceChoice, err: unknown, failures: { ref: string; error: string }[]) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? err;
    const message = (err as Error).message;
    failures.push({ ref: choice.ref, error: message });
    log?.warn(`${opts.persona}: voice ${choice.ref} failed; trying the next voice`, { error: message });
    currentSpanEvent("fallback", { "newsroom.persona": opts.persona, "newsroom.from": choice.ref, "newsroom.reason": message });
  }

  return {
    async synthesize(text, opts) {
      const spoken = normalizeForSpeech(text, opts.language, lexicon);
      if (!spoken) throw new TtsError("nothing to say: the text is empty", false, "invalid");
      const chain = chainOf(opts.persona);
      const failures: { ref: string; error: string }[] = [];
      let attempts = 0;
      for (let i = pinned(opts); i < chain.length; i++) {
        const choice = chain[i];
        const engine = providers.get(choice.provider)!.engine;
        try {
          const parts: Audio[] = [];
          let expected = 0;
          for (const piece of splitForSpeech(spoken, engine.maxChars, opts.language)) {
            const r = await voicePiece(choice, piece, opts);
            attempts += r.tries;
            expected += r.expectedMs;
            parts.push(r.audio);
          }
          const sampleRate = parts[0].sampleRate;
          if (parts.some((a) => a.sampleRate !== sampleRate)) throw new TtsError(`${choice.provider}: pieces came back at different sample rates`, false);
          pin(opts, i);
          const audio = { pcm: concatPcm(parts.map((a) => a.pcm)), sampleRate };
          return { ...audio, provider: choice.provider, voice: choice.voice, attempts, durationMs: durationMs(audio), expectedMs: expected, spoken };
        } catch (err) {
          if (err instanceof PieceFailed) attempts += err.tries;
          fallBack(opts, choice, err, failures);
        }
      }
      throw new VoiceChainExhaustedError(opts.persona, failures, attempts);
    },

    async *synthesizeStream(text, opts) {
      const spoken = normalizeForSpeech(text, opts.language, lexicon);
      if (!spoken) return;
      const chain = chainOf(opts.persona);
      const failures: { ref: string; error: string }[] = [];
      const abort = new AbortController();
      const signal = opts.signal ? AbortSignal.any([opts.signal, abort.signal]) : abort.signal;
      const glue = opts.language === "zh" ? "" : " ";
      let index = pinned(opts);
      let pieces = index < chain.length ? firstSentenceFirst(spoken, providers.get(chain[index].provider)!.engine.maxChars, opts.language) : [];
      let seq = 0;
      // One chunk is held back so the final one can be marked `last`.
      let held: SpeechChunk | undefined;
      try {
        while (pieces.length) {
          if (held) yield held, (held = undefined); // more follows, so the held chunk is not the last: send it now
          const choice = chain[index];
          if (!choice) throw new VoiceChainExhaustedError(opts.persona, failures, seq);
          const queue = new Readable({ objectMode: true, read() {} });
          const done = voicePiece(choice, pieces[0], { ...opts, signal }, (a) => queue.push(a)).then(
            () => queue.push(null),
            (err: unknown) => queue.destroy(err as Error),
          );
          try {
            for await (const a of queue as AsyncIterable<Audio>) {
              if (held) yield held;
              held = { seq: seq++, pcm: a.pcm, sampleRate: a.sampleRate, provider: choice.provider, voice: choice.voice, last: false };
            }
            await done;
            pin(opts, index);
            pieces = pieces.slice(1);
          } catch (err) {
            fallBack({ ...opts, signal }, choice, err, failures);
            index++;
            // The next voice may take longer or shorter requests: re-cut what is left.
            if (index < chain.length) pieces = splitForSpeech(pieces.join(glue), providers.get(chain[index].provider)!.engine.maxChars, opts.language);
          }
        }
        if (held) yield { ...held, last: true };
      } finally {
        abort.abort();
      }
    },

    storyVoice(storyKey, persona) {
      const i = pins.get(pinKey(storyKey, persona));
      return i === undefined ? undefined : chainOf(persona)[i]?.ref;
    },

    forgetStory(storyKey) {
      for (const persona of ["anchor_a", "anchor_b"] as const) pins.delete(pinKey(storyKey, persona));
    },

    async warm() {
      if ([...providers.values()].some((p) => p.engine.kind === "local")) await warmLocalEngine();
    },

    async close() {
      await Promise.all([...providers.values()].map((p) => p.engine.close?.()));
      await stopLocalEngine();
    },
  };
}

function isCancellation(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || err.name === "TaskCancelledError");
}
