// Spans after the GenAI semantic conventions, and the router's events (fallback, retry,
// breaker trip, truncation), read back from an in-memory exporter.
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { SpanKind } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";
import { behave } from "../fakes/openai-server.js";
import { KEYS, makeConfig, memorySpans, routerHarness, SCRIPT, scriptTask, STORY, testRouter } from "./support.js";

const h = routerHarness();
const spans = memorySpans();
beforeEach(() => spans.reset());

const finished = () => spans.getFinishedSpans();
const named = (name: string) => finished().filter((s) => s.name === name);
const events = (s: ReadableSpan, name: string) => s.events.filter((e) => e.name === name);

describe("spans", () => {
  it("an invoke_agent span per run with a chat span per attempt under it", async () => {
    h.fake.setBehaviour("e1-a", behave.ok(SCRIPT, { responseModel: "e1-a-2025-01" }));
    const { router } = testRouter(makeConfig(h.fake.url, { default: ["alpha/e1-a", "beta/e1-b"] }), h.db);
    await router.run(scriptTask(), STORY, { editionId: "ed-1", storyId: "st-1" });
    const [agent] = named("invoke_agent writer");
    const [chat] = named("chat e1-a");
    expect(agent.attributes).toMatchObject({ "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "writer", "newsroom.edition.id": "ed-1", "newsroom.story.id": "st-1" });
    expect(chat.kind).toBe(SpanKind.CLIENT);
    expect(chat.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(chat.spanContext().traceId).toBe(agent.spanContext().traceId);
    expect(chat.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "alpha",
      "gen_ai.request.model": "e1-a",
      "gen_ai.response.model": "e1-a-2025-01",
      "gen_ai.response.finish_reasons": ["stop"],
      "newsroom.provider.camp": "us",
      "server.address": "127.0.0.1",
    });
    expect(chat.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    expect(chat.attributes["gen_ai.usage.output_tokens"]).toBe(Math.ceil(SCRIPT.length / 4));
    expect(chat.attributes["gen_ai.input.messages"]).toBeUndefined();
    expect(chat.attributes["gen_ai.output.messages"]).toBeUndefined();
  });

  it("records prompt and completion text only when NEWSROOM_TRACE_CONTENT=true", async () => {
    h.fake.setBehaviour("e2-a", behave.ok(SCRIPT));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/e2-a", "beta/e2-b"] });
    const { router } = testRouter(cfg, h.db, { env: { ...KEYS, NEWSROOM_TRACE_CONTENT: "true" } });
    await router.run(scriptTask(), STORY);
    const [chat] = named("chat e2-a");
    expect(String(chat.attributes["gen_ai.input.messages"])).toContain("central bank kept rates unchanged on Tuesday");
    expect(String(chat.attributes["gen_ai.output.messages"])).toContain(SCRIPT);
  });
});

describe("events", () => {
  it("retries and fallbacks are events with their reasons", async () => {
    h.fake.setBehaviour("e3-a", behave.fail(503));
    h.fake.setBehaviour("e3-b", behave.ok(SCRIPT));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/e3-a", "beta/e3-b"] }, { providers: { alpha: { max_retries: 1 } } });
    await testRouter(cfg, h.db, { breaker: false }).router.run(scriptTask(), STORY);
    const attempts = named("chat e3-a");
    expect(attempts).toHaveLength(2);
    const retry = events(attempts[0], "newsroom.retry")[0];
    expect(retry.attributes).toMatchObject({ "newsroom.reason": "http_503", "newsroom.retry.attempt": 1 });
    expect(events(attempts[1], "newsroom.retry")).toHaveLength(0);
    expect(attempts[0].attributes["error.type"]).toBe("http_503");
    const [agent] = named("invoke_agent writer");
    expect(events(agent, "newsroom.fallback")[0].attributes).toMatchObject({ "newsroom.from": "alpha/e3-a", "newsroom.to": "beta/e3-b", "newsroom.reason": "http_503" });
    expect(agent.attributes["newsroom.completion"]).toBe("fell_back");
  });

  it("a breaker trip is an event on the attempt that tripped it", async () => {
    h.fake.setBehaviour("e4-a", behave.fail(500));
    h.fake.setBehaviour("e4-b", behave.ok(SCRIPT));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/e4-a", "beta/e4-b"] }, { providers: { alpha: { max_retries: 0 } } });
    const { router } = testRouter(cfg, h.db, { breaker: { threshold: 2, halfOpenAfterMs: 60_000 } });
    for (let i = 0; i < 3; i++) await router.run(scriptTask(), STORY);
    const trips = named("chat e4-a").filter((s) => events(s, "newsroom.breaker.open").length);
    expect(trips).toHaveLength(1);
    expect(events(trips[0], "newsroom.breaker.open")[0].attributes).toMatchObject({ "newsroom.provider": "alpha", "newsroom.reason": "http_500" });
    expect(named("chat e4-a").map((s) => s.attributes["error.type"])).toEqual(["http_500", "http_500", "circuit_open"]);
  });

  it("a truncation is an event saying what was done about it", async () => {
    h.fake.setBehaviour("e5-a", [behave.truncated("The central bank kept"), behave.ok(" rates unchanged.")]);
    await testRouter(makeConfig(h.fake.url, { default: ["alpha/e5-a", "beta/e5-b"] }), h.db).router.run(scriptTask(), STORY);
    const [first, more] = named("chat e5-a");
    expect(events(first, "newsroom.truncation")[0].attributes).toMatchObject({ "newsroom.reason": "length", "newsroom.action": "continue" });
    expect(more.attributes["newsroom.call.purpose"]).toBe("continue");
    expect(more.attributes["newsroom.call.outcome"]).toBe("continued");
  });
});
