// The synthesizer (speech desk): text -> speech for a persona, down the persona's voice chain.
// Per provider: a timeout per request, retries with jittered backoff, a circuit breaker
// (./policy.ts). Every request gets a ledger row; every piece of audio is checked for silence
// and cut-offs before it is accepted (./attempt.ts). Within one story a persona keeps the voice
// it was first given, unless that voice fails; then the story moves to the next voice for good
// (./pins.ts; the caller redoes earlier lines). A persona's chain is the one for the line's
// language (config `voices`, ../voices.ts). Streaming is ./stream.ts.
import type { NewsroomConfig } from "@newsroom/platform/config/schema";
import type { Db } from "@newsroom/platform/db/connect";
import type { Logger } from "@newsroom/platform/log";
import { splitForSpeech } from "../chunks.js";
import { loadLexicon, type Lexicon } from "../lexicon.js";
import { defaultLexicon, normalizeForSpeech } from "../normalize.js";
import { concatPcm, durationMs, type Audio } from "../pcm.js";
import { createEngine } from "../providers/engines.js";
import { stopLocalEngine, warmLocalEngine } from "../providers/local.js";
import { TtsError } from "../providers/types.js";
import { ttsProviders, voiceChain, type VoiceChoice } from "../voices.js";
import { fallBack, PieceFailed, voicePiece } from "./attempt.js";
import { createStoryPins, laneOf } from "./pins.js";
import { speechProviderPolicy, type SpeechPolicyOptions } from "./policy.js";
import { streamSpeech } from "./stream.js";
import { VoiceChainExhaustedError, type SpeechKit, type SpeechProvider, type Synthesizer } from "./types.js";

export { VoiceChainExhaustedError, type SpeechChunk, type Synthesis, type SynthesizeOptions, type Synthesizer } from "./types.js";

export interface SynthesizerDeps extends Omit<SpeechPolicyOptions, "log"> {
  config: NewsroomConfig;
  db?: Db;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
  lexicon?: Lexicon;
}

export function createSynthesizer(deps: SynthesizerDeps): Synthesizer {
  const { config, log } = deps;
  const env = deps.env ?? process.env;
  const providers = new Map<string, SpeechProvider>();
  for (const [name, cfg] of Object.entries(ttsProviders(config)))
    providers.set(name, { engine: createEngine(name, cfg, env), config: cfg, policy: speechProviderPolicy(name, cfg, deps) });
  const chains = new Map<string, VoiceChoice[]>();
  const kit: SpeechKit = {
    db: deps.db,
    log,
    lexicon: deps.lexicon ?? (deps.env ? loadLexicon(deps.env) : defaultLexicon()),
    provider: (name) => providers.get(name)!,
    chainOf(persona, language) {
      const key = `${persona}/${language}`;
      let chain = chains.get(key);
      if (!chain) chains.set(key, (chain = voiceChain(config, persona, language)));
      return chain;
    },
    pins: createStoryPins(),
  };

  return {
    async synthesize(text, opts) {
      const spoken = normalizeForSpeech(text, opts.language, kit.lexicon);
      if (!spoken) throw new TtsError("nothing to say: the text is empty", false, "invalid");
      const chain = kit.chainOf(opts.persona, opts.language);
      const lane = laneOf(opts.persona, chain);
      const failures: { ref: string; error: string }[] = [];
      let attempts = 0;
      for (let i = kit.pins.start(opts.storyKey, lane); i < chain.length; i++) {
        const choice = chain[i];
        const engine = kit.provider(choice.provider).engine;
        try {
          const parts: Audio[] = [];
          let expected = 0;
          for (const piece of splitForSpeech(spoken, engine.maxChars, opts.language)) {
            const r = await voicePiece(kit, choice, piece, opts);
            attempts += r.tries;
            expected += r.expectedMs;
            parts.push(r.audio);
          }
          const sampleRate = parts[0].sampleRate;
          if (parts.some((a) => a.sampleRate !== sampleRate)) throw new TtsError(`${choice.provider}: pieces came back at different sample rates`, false);
          kit.pins.pin(opts.storyKey, lane, i);
          const audio = { pcm: concatPcm(parts.map((a) => a.pcm)), sampleRate };
          return { ...audio, provider: choice.provider, voice: choice.voice, attempts, durationMs: durationMs(audio), expectedMs: expected, spoken };
        } catch (err) {
          if (err instanceof PieceFailed) attempts += err.tries;
          fallBack(kit, opts, choice, err, failures);
        }
      }
      throw new VoiceChainExhaustedError(opts.persona, failures, attempts);
    },

    synthesizeStream: (text, opts) => streamSpeech(kit, text, opts),

    storyVoice(storyKey, persona, language) {
      const chain = kit.chainOf(persona, language);
      const i = kit.pins.get(storyKey, laneOf(persona, chain));
      return i === undefined ? undefined : chain[i]?.ref;
    },

    forgetStory: (storyKey) => kit.pins.forget(storyKey),

    async warm() {
      if ([...providers.values()].some((p) => p.engine.kind === "local")) await warmLocalEngine();
    },

    async close() {
      await Promise.all([...providers.values()].map((p) => p.engine.close?.()));
      await stopLocalEngine();
    },
  };
}
