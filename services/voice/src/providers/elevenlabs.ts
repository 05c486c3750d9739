// ElevenLabs: POST {base}/v1/text-to-speech/{voice_id}[/stream]?output_format=pcm_24000 with
// the `xi-api-key` header and {text, model_id}; the reply body is raw 16-bit PCM.
import type { TtsProviderConfig } from "@newsroom/platform/config/schema";
import { concatPcm } from "../pcm.js";
import { apiRoot, envSecret, pcmPieces, postJson } from "./http.js";
import { DEFAULT_MAX_CHARS, DEFAULT_MODEL, type SpeechRequest, type TtsEngine } from "./types.js";

const SAMPLE_RATE = 24_000;

export function createElevenLabsEngine(name: string, config: TtsProviderConfig, env: NodeJS.ProcessEnv): TtsEngine {
  const model = config.model ?? DEFAULT_MODEL.elevenlabs;
  const url = (voice: string, stream: boolean) =>
    `${apiRoot(config.base_url!)}/text-to-speech/${encodeURIComponent(voice)}${stream ? "/stream" : ""}?output_format=pcm_${SAMPLE_RATE}`;
  const request = (req: SpeechRequest, stream: boolean) =>
    postJson(name, url(req.voice, stream), { "xi-api-key": envSecret(name, env, config.api_key_env) }, { text: req.text, model_id: model }, req.signal);

  const engine: TtsEngine = {
    name,
    kind: "elevenlabs",
    model,
    maxChars: config.max_chars ?? DEFAULT_MAX_CHARS.elevenlabs,
    async synthesize(req) {
      const parts: Int16Array[] = [];
      for await (const piece of pcmPieces(name, await request(req, false), req.signal)) parts.push(piece);
      return { pcm: concatPcm(parts), sampleRate: SAMPLE_RATE };
    },
    async *stream(req) {
      for await (const pcm of pcmPieces(name, await request(req, true), req.signal)) yield { pcm, sampleRate: SAMPLE_RATE };
    },
  };
  return engine;
}
