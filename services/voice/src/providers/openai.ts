// OpenAI speech through the openai SDK: POST {base}/v1/audio/speech {model, input, voice,
// response_format: "pcm"} -> raw 24 kHz 16-bit mono PCM. The SDK's own retries are off:
// the router retries, so every attempt gets its ledger row.
import OpenAI from "openai";
import type { TtsProviderConfig } from "@newsroom/platform/config/schema";
import { concatPcm } from "../pcm.js";
import { apiRoot, envSecret, pcmPieces, retryableStatus, transportError, vendorMessage } from "./http.js";
import { DEFAULT_MAX_CHARS, DEFAULT_MODEL, TtsError, type SpeechRequest, type TtsEngine } from "./types.js";

const SAMPLE_RATE = 24_000;

export function createOpenAiEngine(name: string, config: TtsProviderConfig, env: NodeJS.ProcessEnv): TtsEngine {
  const model = config.model ?? DEFAULT_MODEL.openai;
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
    name,
    kind: "openai",
    model,
    maxChars: config.max_chars ?? DEFAULT_MAX_CHARS.openai,
    async synthesize(req) {
      const parts: Int16Array[] = [];
      for await (const piece of pcmPieces(name, await speech(req), req.signal)) parts.push(piece);
      return { pcm: concatPcm(parts), sampleRate: SAMPLE_RATE };
    },
    async *stream(req) {
      for await (const pcm of pcmPieces(name, await speech(req), req.signal)) yield { pcm, sampleRate: SAMPLE_RATE };
    },
  };
}
