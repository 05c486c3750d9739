// ElevenLabs: POST {base}/v1/text-to-speech/{voice_id}[/stream]?output_format=pcm_24000 with
// the `xi-api-key` header and {text, model_id}; the reply body is raw 16-bit PCM.
import type { TtsProviderConfig } from "@newsroom/platform/config/schema";
import { apiRoot, envSecret, pcmBody, pcmStream, postJson } from "./http.js";
import { engineBasics, type SpeechRequest, type TtsEngine } from "./types.js";

const SAMPLE_RATE = 24_000;

export function createElevenLabsEngine(name: string, config: TtsProviderConfig, env: NodeJS.ProcessEnv): TtsEngine {
  const { model } = engineBasics(name, "elevenlabs", config);
  const url = (voice: string, stream: boolean) =>
    `${apiRoot(config.base_url!)}/text-to-speech/${encodeURIComponent(voice)}${stream ? "/stream" : ""}?output_format=pcm_${SAMPLE_RATE}`;
  const request = (req: SpeechRequest, stream: boolean) =>
    postJson(name, url(req.voice, stream), { "xi-api-key": envSecret(name, env, config.api_key_env) }, { text: req.text, model_id: model }, req.signal);

  return {
    ...engineBasics(name, "elevenlabs", config),
    synthesize: async (req) => pcmBody(name, await request(req, false), req.signal, SAMPLE_RATE),
    async *stream(req) {
      yield* pcmStream(name, await request(req, true), req.signal, SAMPLE_RATE);
    },
  };
}
