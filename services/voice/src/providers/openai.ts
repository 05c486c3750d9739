// OpenAI speech through the openai SDK: POST {base}/v1/audio/speech {model, input, voice,
// response_format: "pcm"} -> raw 24 kHz 16-bit mono PCM. The SDK's own retries are off:
// the router retries, so every attempt gets its ledger row.
import OpenAI from "openai";
import type { TtsProviderConfig } from "@newsroom/platform/config/schema";
import { apiRoot, envSecret, pcmBody, pcmStream, retryableStatus, transportError, vendorMessage } from "./http.js";
import { engineBasics, TtsError, type SpeechRequest, type TtsEngine } from "./types.js";

const SAMPLE_RATE = 24_000;

export function createOpenAiEngine(name: string, config: TtsProviderConfig, env: NodeJS.ProcessEnv): TtsEngine {
  const { model } = engineBasics(name, "openai", config);
  let client: OpenAI | undefined;
  const speech = async (req: SpeechRequest): Promise<Response> => {
    client ??= new OpenAI({ apiKey: envSecret(name, env, config.api_key_env), baseURL: apiRoot(config.base_url!), maxRetries: 0, timeout: config.timeout_ms });
    try {
      return await client.audio.speech.create({ model, input: req.text, voice: req.voice, response_format: "pcm" }, { signal: req.signal });
    } catch (err) {
      if (err instanceof OpenAI.APIError && typeof err.status === "number") {
        const message = vendorMessage(JSON.stringify({ error: err.error ?? { message: err.message } }));
        throw new TtsError(`${name}: HTTP ${err.status} ${message}`, retryableStatus(err.status), err.status === 401 || err.status === 403 ? "refused" : "error", err.status);
      }
      if (err instanceof OpenAI.APIConnectionTimeoutError) throw new TtsError(`${name}: timed out`, true, "timeout");
      throw transportError(name, err, req.signal);
    }
  };

  return {
    ...engineBasics(name, "openai", config),
    synthesize: async (req) => pcmBody(name, await speech(req), req.signal, SAMPLE_RATE),
    async *stream(req) {
      yield* pcmStream(name, await speech(req), req.signal, SAMPLE_RATE);
    },
  };
}
