// TTS requests are `tts <model>` client spans; a fallback and a cut-off show up as the same
// span events the model router uses, and no key reaches a span.
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createSynthesizer, type Synthesizer } from "@newsroom/voice/speech/synthesizer";
import { startTtsFakes, type TtsFakes } from "../fakes/tts-servers.js";
import { voiceConfig } from "./config.js";

const exporter = new InMemorySpanExporter();
let fakes: TtsFakes;
let tts: Synthesizer;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  fakes = await startTtsFakes();
  const config = voiceConfig(`
tts_providers:
  minimax: { kind: minimax, base_url: "${fakes.minimax.url}", api_key_env: MM_KEY, max_retries: 1 }
  eleven: { kind: elevenlabs, base_url: "${fakes.elevenlabs.url}", api_key_env: EL_KEY, max_retries: 0 }
voices: { anchor_a: ["minimax/female-shaonv", "eleven/anchor-a-el"] }
`);
  tts = createSynthesizer({ config, env: { MM_KEY: fakes.minimax.apiKey, EL_KEY: fakes.elevenlabs.apiKey }, retryDelayMs: 5 });
});
afterAll(async () => {
  await tts.close();
  await fakes.close();
});

it("records every attempt, the cut-off and the fallback", async () => {
  fakes.minimax.answerNext("truncate", "500");
  await trace.getTracer("test").startActiveSpan("process script.approved", async (parent) => {
    await tts.synthesize("央行周二宣布维持利率不变。", { persona: "anchor_a", language: "zh" });
    parent.end();
  });
  const spans = exporter.getFinishedSpans();
  const tts1 = spans.filter((s) => s.name === "tts speech-01-turbo");
  expect(tts1.map((s) => s.attributes["newsroom.call.outcome"])).toEqual(["truncated", "error"]);
  expect(tts1[0].events.map((e) => e.name)).toContain("newsroom.truncation");
  expect(tts1[0].attributes).toMatchObject({ "gen_ai.provider.name": "minimax", "newsroom.tts.voice": "female-shaonv", "newsroom.persona": "anchor_a" });
  const el = spans.find((s) => s.name === "tts eleven_multilingual_v2")!;
  expect(el.attributes["newsroom.call.outcome"]).toBe("ok");
  const parent = spans.find((s) => s.name === "process script.approved")!;
  const fallback = parent.events.find((e) => e.name === "newsroom.fallback")!;
  expect(fallback.attributes).toMatchObject({ "newsroom.persona": "anchor_a", "newsroom.from": "minimax/female-shaonv" });
  expect(tts1.every((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId)).toBe(true);
  expect(JSON.stringify(spans.map((s) => [s.attributes, s.events, s.status]))).not.toContain(fakes.minimax.apiKey);
});
