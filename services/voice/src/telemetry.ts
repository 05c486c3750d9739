// A `tts <model>` client span per TTS request, with the same attribute and event names the
// model router uses (provider, model, outcome; fallback, truncation and breaker events), so
// one TraceQL query finds voice trouble next to model trouble.
import { context, SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { redact } from "@newsroom/platform/log";
import { EVENTS, spanEvent } from "@newsroom/platform/router/telemetry";
import type { TtsEngine } from "./providers/types.js";
import { TTS_CAMP } from "./providers/types.js";

const tracer = () => trace.getTracer("newsroom.voice");

export function startTtsSpan(engine: TtsEngine, voice: string, persona: string, characters: number): Span {
  return tracer().startSpan(
    `tts ${engine.model}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.operation.name": "text_to_speech",
        "gen_ai.provider.name": engine.name,
        "gen_ai.request.model": engine.model,
        "newsroom.provider.camp": TTS_CAMP[engine.kind],
        "newsroom.tts.voice": voice,
        "newsroom.persona": persona,
        "newsroom.tts.characters": characters,
      },
    },
    context.active(),
  );
}

export function endTtsSpan(span: Span, outcome: string, error?: Error): void {
  span.setAttribute("newsroom.call.outcome", outcome);
  if (outcome === "truncated" && error) spanEvent(span, EVENTS.truncation, { "newsroom.reason": error.message });
  if (error) {
    span.setAttribute("error.type", error.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: redact(error.message).slice(0, 300) });
  }
  span.end();
}

/** A span event on whatever span is current (the handler's, or the gRPC call's). */
export function currentSpanEvent(name: keyof typeof EVENTS, attrs: Record<string, string | number | boolean>): void {
  const span = trace.getActiveSpan();
  if (span) spanEvent(span, EVENTS[name], attrs);
}
