// Each vendor engine against a fake that speaks its wire format: what it sends, what it
// decodes, and how it classifies failures (retry or not).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TtsProviderConfig } from "@newsroom/platform/config/schema";
import { durationMs, type Audio } from "@newsroom/voice/pcm";
import { createElevenLabsEngine } from "@newsroom/voice/providers/elevenlabs";
import { createMinimaxEngine } from "@newsroom/voice/providers/minimax";
import { createOpenAiEngine } from "@newsroom/voice/providers/openai";
import { TtsError, type TtsEngine } from "@newsroom/voice/providers/types";
import { fakeSpeechMs, startTtsFakes, type TtsFakes } from "../fakes/tts-servers.js";

const TEXT = "中国人民银行周二宣布维持贷款市场报价利率不变。";
let fakes: TtsFakes;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  fakes = await startTtsFakes();
  env = { MM_KEY: fakes.minimax.apiKey, MM_GROUP: "group-42", EL_KEY: fakes.elevenlabs.apiKey, OA_KEY: fakes.openai.apiKey };
});
afterAll(() => fakes.close());

const cfg = (kind: TtsProviderConfig["kind"], url: string, extra: Partial<TtsProviderConfig> = {}): TtsProviderConfig => ({
  kind,
  base_url: url,
  timeout_ms: 5_000,
  max_retries: 0,
  price_per_mchar: 0,
  ...extra,
});
const req = (voice: string, text = TEXT) => ({ text, voice, language: "zh" as const, signal: AbortSignal.timeout(5_000) });

async function collect(stream: AsyncIterable<Audio>): Promise<{ pieces: number; ms: number; rate: number }> {
  let pieces = 0;
  let samples = 0;
  let rate = 0;
  for await (const a of stream) {
    pieces++;
    samples += a.pcm.length;
    rate = a.sampleRate;
  }
  return { pieces, ms: Math.round((samples / rate) * 1000), rate };
}

async function failure(p: Promise<unknown>): Promise<TtsError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TtsError);
  return err as TtsError;
}

describe("MiniMax t2a_v2", () => {
  let engine: TtsEngine;
  beforeAll(() => {
    engine = createMinimaxEngine("minimax", cfg("minimax", fakes.minimax.url, { api_key_env: "MM_KEY", group_id_env: "MM_GROUP" }), env);
  });

  it("asks for WAV, sends GroupId and the voice, and decodes the hex audio", async () => {
    const audio = await engine.synthesize(req("female-shaonv"));
    expect(audio.sampleRate).toBe(24_000);
    expect(Math.abs(durationMs(audio) - fakeSpeechMs(TEXT))).toBeLessThan(20);
    const sent = fakes.minimax.requests.at(-1)!;
    expect(sent.query.GroupId).toBe("group-42");
    expect(sent.body).toMatchObject({
      model: "speech-01-turbo",
      stream: false,
      voice_setting: { voice_id: "female-shaonv" },
      audio_setting: { format: "wav", channel: 1, sample_rate: 24_000 },
    });
  });

  it("streams SSE events of hex PCM and leaves out the aggregated repeat", async () => {
    const got = await collect(engine.stream!(req("female-shaonv")));
    expect(got.pieces).toBeGreaterThan(3);
    expect(Math.abs(got.ms - fakeSpeechMs(TEXT))).toBeLessThan(20);
    expect(fakes.minimax.requests.at(-1)!.body).toMatchObject({ stream: true, stream_options: { exclude_aggregated_audio: true }, audio_setting: { format: "pcm" } });
  });

  it("treats a non-zero base_resp inside HTTP 200 as an error, retryable or not by its code", async () => {
    fakes.minimax.failNext("base_resp");
    const transient = await failure(engine.synthesize(req("female-shaonv")));
    expect(transient.message).toMatch(/base_resp 1013/);
    expect(transient.retryable).toBe(true);
    fakes.minimax.failNext("auth");
    const auth = await failure(engine.synthesize(req("female-shaonv")));
    expect(auth.retryable).toBe(false);
    expect(auth.outcome).toBe("refused");
    fakes.minimax.failNext("base_resp");
    expect((await failure(collect(engine.stream!(req("female-shaonv"))))).message).toMatch(/base_resp 1013/);
  });

  it("classifies HTTP 500 and 429 as retryable", async () => {
    fakes.minimax.failNext("500");
    expect((await failure(engine.synthesize(req("v")))).retryable).toBe(true);
    fakes.minimax.failNext("429");
    const limited = await failure(engine.synthesize(req("v")));
    expect(limited.retryable).toBe(true);
    expect(limited.status).toBe(429);
  });

  it("refuses to call without its key in the environment, naming the variable but not a value", async () => {
    const keyless = createMinimaxEngine("minimax", cfg("minimax", fakes.minimax.url, { api_key_env: "MM_KEY" }), {});
    const err = await failure(keyless.synthesize(req("v")));
    expect(err.message).toBe("minimax: environment variable MM_KEY (API key) is not set");
    expect(err.retryable).toBe(false);
  });
});

describe("ElevenLabs text-to-speech", () => {
  let engine: TtsEngine;
  beforeAll(() => {
    engine = createElevenLabsEngine("elevenlabs", cfg("elevenlabs", fakes.elevenlabs.url + "/v1/", { api_key_env: "EL_KEY" }), env);
  });

  it("posts {text, model_id} to the voice's URL with output_format=pcm_24000 and reads raw PCM", async () => {
    const audio = await engine.synthesize(req("voice-A"));
    expect(audio.sampleRate).toBe(24_000);
    expect(Math.abs(durationMs(audio) - fakeSpeechMs(TEXT))).toBeLessThan(20);
    const sent = fakes.elevenlabs.requests.at(-1)!;
    expect(sent.path).toBe("/v1/text-to-speech/voice-A");
    expect(sent.query.output_format).toBe("pcm_24000");
    expect(sent.body).toEqual({ text: TEXT, model_id: "eleven_multilingual_v2" });
  });

  it("streams from /stream, keeping samples whole across odd-sized network chunks", async () => {
    const got = await collect(engine.stream!(req("voice-A")));
    expect(fakes.elevenlabs.requests.at(-1)!.path).toBe("/v1/text-to-speech/voice-A/stream");
    expect(got.pieces).toBeGreaterThan(3);
    expect(Math.abs(got.ms - fakeSpeechMs(TEXT))).toBeLessThan(20);
  });

  it("reads the detail of errors; a bad key is not retried", async () => {
    fakes.elevenlabs.failNext("auth");
    const err = await failure(engine.synthesize(req("voice-A")));
    expect(err.message).toBe("elevenlabs: HTTP 401 Invalid API key");
    expect(err.retryable).toBe(false);
    fakes.elevenlabs.failNext("429");
    expect((await failure(engine.synthesize(req("voice-A")))).retryable).toBe(true);
  });
});

describe("OpenAI audio/speech", () => {
  let engine: TtsEngine;
  beforeAll(() => {
    engine = createOpenAiEngine("openai", cfg("openai", fakes.openai.url, { api_key_env: "OA_KEY", model: "tts-1" }), env);
  });

  it("asks for pcm and reads raw 24 kHz samples", async () => {
    const audio = await engine.synthesize(req("alloy"));
    expect(audio.sampleRate).toBe(24_000);
    expect(Math.abs(durationMs(audio) - fakeSpeechMs(TEXT))).toBeLessThan(20);
    expect(fakes.openai.requests.at(-1)!.body).toEqual({ model: "tts-1", input: TEXT, voice: "alloy", response_format: "pcm" });
  });

  it("maps the SDK's errors: 500 retryable, 401 refused", async () => {
    fakes.openai.failNext("500");
    expect((await failure(engine.synthesize(req("alloy")))).retryable).toBe(true);
    fakes.openai.failNext("auth");
    const auth = await failure(engine.synthesize(req("alloy")));
    expect(auth.retryable).toBe(false);
    expect(auth.message).toMatch(/HTTP 401 Incorrect API key/);
  });

  it("a hung vendor times out (retryable)", async () => {
    fakes.openai.failNext("hang");
    const err = await failure(engine.synthesize({ ...req("alloy"), signal: AbortSignal.timeout(300) }));
    expect(err.outcome).toBe("timeout");
    expect(err.retryable).toBe(true);
  });
});
