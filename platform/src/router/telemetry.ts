// Spans for model calls, after the OpenTelemetry GenAI semantic conventions: `invoke_agent
// <role>` around a role's work, `chat <model>` per attempt. Fallbacks, retries, breaker trips,
// truncations and budget decisions are span events with a reason, so one TraceQL query finds
// them. Prompt and completion text are recorded only with NEWSROOM_TRACE_CONTENT=true; every
// string passes the secret redactor first.
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import type { ChainEntry } from "../config/load.js";
import { redact } from "../log.js";
import type { ChatMessage, ChatReply } from "./client.js";

export const EVENTS = {
  fallback: "newsroom.fallback",
  retry: "newsroom.retry",
  breakerOpen: "newsroom.breaker.open",
  truncation: "newsroom.truncation",
  budget: "newsroom.budget",
  queued: "newsroom.provider.queued",
  fit: "newsroom.context.fit",
} as const;

const tracer = () => trace.getTracer("newsroom.router");

export function startAgentSpan(role: string, task: string, ids: { editionId?: string; storyId?: string }): Span {
  const attrs: Attributes = { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": role, "newsroom.task": task };
  if (ids.editionId) attrs["newsroom.edition.id"] = ids.editionId;
  if (ids.storyId) attrs["newsroom.story.id"] = ids.storyId;
  return tracer().startSpan(`invoke_agent ${role}`, { kind: SpanKind.INTERNAL, attributes: attrs }, context.active());
}

export function startChatSpan(parent: Span, entry: ChainEntry, purpose: string, messages: ChatMessage[] | undefined, captureContent: boolean): Span {
  const attrs: Attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": entry.provider,
    "gen_ai.request.model": entry.model,
    "newsroom.provider.camp": entry.camp,
    "newsroom.provider.vendor": entry.vendor,
    "newsroom.call.purpose": purpose,
  };
  const host = hostOf(entry.config.base_url);
  if (host) attrs["server.address"] = host;
  if (captureContent && messages) attrs["gen_ai.input.messages"] = redact(JSON.stringify(messages));
  return tracer().startSpan(`chat ${entry.model}`, { kind: SpanKind.CLIENT, attributes: attrs }, trace.setSpan(context.active(), parent));
}

export interface ChatSpanEnd {
  outcome: string;
  reply?: ChatReply;
  inputTokens: number;
  outputTokens: number;
  estimated: boolean;
  errorClass?: string;
  errorMessage?: string;
}

export function endChatSpan(span: Span, end: ChatSpanEnd, captureContent: boolean): void {
  span.setAttributes({
    "gen_ai.usage.input_tokens": end.inputTokens,
    "gen_ai.usage.output_tokens": end.outputTokens,
    "newsroom.usage.estimated": end.estimated,
    "newsroom.call.outcome": end.outcome,
  });
  if (end.reply?.responseModel) span.setAttribute("gen_ai.response.model", end.reply.responseModel);
  if (end.reply?.finishReason) span.setAttribute("gen_ai.response.finish_reasons", [end.reply.finishReason]);
  if (captureContent && end.reply)
    span.setAttribute("gen_ai.output.messages", redact(JSON.stringify([{ role: "assistant", content: end.reply.content }])));
  if (end.errorClass) {
    span.setAttribute("error.type", end.errorClass);
    span.setStatus({ code: SpanStatusCode.ERROR, message: end.errorMessage ? redact(end.errorMessage).slice(0, 300) : end.errorClass });
  }
  span.end();
}

/** A span event whose attribute values pass the secret redactor. */
export function spanEvent(span: Span, name: string, attrs: Record<string, string | number | boolean>): void {
  const clean: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) clean[k] = typeof v === "string" ? redact(v) : v;
  span.addEvent(name, clean);
}

/** A request that waited for its provider's concurrency or rate limit: the wait, as an attribute and an event. */
export function queuedOnSpan(span: Span, entry: ChainEntry, waitMs: number): void {
  const ms = Math.round(waitMs);
  span.setAttribute("newsroom.provider.queue_wait_ms", ms);
  spanEvent(span, EVENTS.queued, {
    "newsroom.provider": entry.provider,
    "newsroom.provider.queue_wait_ms": ms,
    "newsroom.provider.max_concurrency": entry.config.max_concurrency,
    "newsroom.provider.requests_per_minute": entry.config.requests_per_minute ?? 0,
  });
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).hostname : undefined;
  } catch {
    return undefined;
  }
}
