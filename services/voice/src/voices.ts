// Personas and their voices: config `voices` maps anchor_a / anchor_b to an ordered chain of
// "tts_provider/voice", one for every language or one per language ({zh: [...], en: [...]}),
// used for each line's language (a bilingual edition has both). A fallback moves down the same
// persona's chain, so the anchor stays recognisable. Every chain ends on the embedded local
// engine, so an edition always has a voice.
import type { NewsroomConfig, Persona, TtsProviderConfig } from "@newsroom/platform/config/schema";
import type { SpeechLanguage } from "./lexicon.js";

export interface VoiceChoice {
  /** "minimax/female-shaonv" */
  ref: string;
  /** Name under tts_providers. */
  provider: string;
  /** The provider's voice id. */
  voice: string;
}

/** espeak variants that tell the two local anchors apart (female, male). */
export const DEFAULT_LOCAL_VOICES: Record<Persona, string> = { anchor_a: "+f3", anchor_b: "+m3" };

export const IMPLICIT_LOCAL: TtsProviderConfig = { kind: "local", timeout_ms: 30_000, max_retries: 1, price_per_mchar: 0 };

/** The tts_providers the synthesizer builds: the configured ones, plus the local engine when none is configured. */
export function ttsProviders(config: NewsroomConfig): Record<string, TtsProviderConfig> {
  const providers = { ...config.tts_providers };
  if (!Object.values(providers).some((p) => p.kind === "local")) providers[localName(config)] = IMPLICIT_LOCAL;
  return providers;
}

/** The persona's configured voices for `language`: its one chain, or that language's (else the other language's). */
export function configuredVoices(config: NewsroomConfig, persona: Persona, language: SpeechLanguage): string[] {
  const voices = config.voices[persona];
  if (!voices) return [];
  if (Array.isArray(voices)) return voices;
  return voices[language] ?? voices[language === "zh" ? "en" : "zh"] ?? [];
}

/** The persona's voices for `language` in order of preference, ending with a local voice. */
export function voiceChain(config: NewsroomConfig, persona: Persona, language: SpeechLanguage): VoiceChoice[] {
  const chain = configuredVoices(config, persona, language).map(parseRef);
  const providers = ttsProviders(config);
  if (!chain.some((c) => providers[c.provider]?.kind === "local")) {
    const local = Object.entries(providers).find(([, p]) => p.kind === "local")![0];
    chain.push({ ref: `${local}/${DEFAULT_LOCAL_VOICES[persona]}`, provider: local, voice: DEFAULT_LOCAL_VOICES[persona] });
  }
  return chain;
}

/** The persona's voice on one provider for `language` (undefined when that chain does not use the provider). */
export function voiceFor(config: NewsroomConfig, persona: Persona, provider: string, language: SpeechLanguage): string | undefined {
  return voiceChain(config, persona, language).find((c) => c.provider === provider)?.voice;
}

function parseRef(ref: string): VoiceChoice {
  const slash = ref.indexOf("/");
  return { ref, provider: ref.slice(0, slash), voice: ref.slice(slash + 1) };
}

function localName(config: NewsroomConfig): string {
  return config.tts_providers.local ? "espeak" : "local";
}
