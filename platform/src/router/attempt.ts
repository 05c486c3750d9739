// One request to one model, retried on transient failures. Every try is a `chat <model>`
// span and a ledger row; a reply that arrives is handed back with `settle`, because whether it
// was ok, invalid, truncated or refused is only known once the router has checked it.
import type { Span } from "@opentelemetry/api";
import type { ChainEntry } from "../config/load.js";
import type { Db } from "../db/connect.js";
import type { CallOutcome } from "../db/schema.js";
import { redact, type Logger } from "../log.js";
import { backoffSequence } from "../resilience/policy.js";
import type { ChatReply, ChatRequest, ProviderClient } from "./client.js";
import { countTokens, recordCall } from "./ledger.js";
import { classifyError, type ProviderPolicy, type RetryOptions } from "./policy.js";
import { EVENTS, endChatSpan, queuedOnSpan, spanEvent, startChatSpan } from "./telemetry.js";
import type { CallContext } from "./types.js";

export interface AttemptDeps {
  db: Db;
  log: Logger;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  retry: RetryOptions;
  captureContent: boolean;
  client(entry: ChainEntry): ProviderClient;
  policy(entry: ChainEntry): ProviderPolicy;
}

/** What every attempt of one `router.run` shares. */
export interface CallScope {
  role: string;
  task: string;
  editionId?: string;
  storyId?: string;
  agentSpan: Span;
  ctx: CallContext;
  /** Added to every ledger row of the run (budget switch, waived review rule). */
  note?: string;
  /** The role's sampling temperature (config `temperature`), sent with every request of the run. */
  temperature?: number;
}

export interface SettleExtra {
  errorClass?: string;
  note?: string;
  event?: { name: string; attrs: Record<string, string | number | boolean> };
}

export type Answered = { kind: "answered"; reply: ChatReply; settle(outcome: CallOutcome, extra?: SettleExtra): Promise<void> };
export type Failed = { kind: "failed"; outcome: CallOutcome; errorClass: string; message: string };

export interface AttemptRecord {
  outcome: CallOutcome;
  inputTokens: number;
  outputTokens: number;
  estimated: boolean;
  outputChars: number;
  latencyMs: number;
  reply?: ChatReply;
  errorClass?: string;
  errorMessage?: string;
  note?: string;
}

export async function callModel(deps: AttemptDeps, scope: CallScope, entry: ChainEntry, req: ChatRequest, purpose: string): Promise<Answered | Failed> {
  const client = deps.client(entry);
  const policy = deps.policy(entry);
  const nextDelay = backoffSequence(deps.retry);
  for (let attempt = 0; ; attempt++) {
    scope.ctx.working?.();
    const span = startChatSpan(scope.agentSpan, entry, purpose, req.messages, deps.captureContent);
    const started = performance.now();
    const wasOpen = policy.isOpen();
    let queuedMs = 0;
    const queued = (ms: number) => {
      queuedMs = ms;
      queuedOnSpan(span, entry, ms);
    };
    try {
      const reply = await policy.execute(() => client.chat({ temperature: scope.temperature, ...req }, { signal: scope.ctx.signal, working: scope.ctx.working }), queued, scope.ctx.signal);
      // The vendor's latency: time spent queueing for the provider's limits is on the span instead.
      const latencyMs = performance.now() - started - queuedMs;
      const input = reply.usage?.input ?? countTokens(req.messages.map((m) => m.content).join("\n"));
      const output = reply.usage?.output ?? countTokens(reply.content);
      return {
        kind: "answered",
        reply,
        settle: async (outcome, extra = {}) => {
          if (extra.event) spanEvent(span, extra.event.name, extra.event.attrs);
          await finishAttempt(deps, scope, entry, span, {
            outcome,
            inputTokens: input,
            outputTokens: output,
            estimated: !reply.usage,
            outputChars: reply.content.length,
            latencyMs,
            reply,
            errorClass: extra.errorClass,
            errorMessage: extra.note,
            note: extra.note,
          });
        },
      };
    } catch (err) {
      const latencyMs = performance.now() - started - queuedMs;
      if (scope.ctx.signal?.aborted) {
        await finishAttempt(deps, scope, entry, span, failedRecord("error", "aborted", "the caller cancelled the call", latencyMs));
        throw scope.ctx.signal.reason ?? err;
      }
      const f = classifyError(err);
      const message = redact((err as Error)?.message ?? String(err)).slice(0, 300);
      if (!wasOpen && policy.isOpen()) {
        spanEvent(span, EVENTS.breakerOpen, { "newsroom.provider": entry.provider, "newsroom.reason": f.errorClass });
        deps.log.warn(`circuit breaker opened for provider ${entry.provider}`, { reason: f.errorClass });
      }
      const tooLong = f.retryAfterMs !== undefined && f.retryAfterMs > deps.retry.maxRetryAfterMs;
      const retry = f.retryable && attempt < entry.config.max_retries && !tooLong;
      const delay = retry ? (f.retryAfterMs ?? nextDelay()) : 0;
      if (retry)
        spanEvent(span, EVENTS.retry, {
          "newsroom.reason": f.errorClass,
          "newsroom.retry.delay_ms": Math.round(delay),
          "newsroom.retry.attempt": attempt + 1,
          "newsroom.retry.after_header": f.retryAfterMs !== undefined,
        });
      const note = tooLong ? `${message} (Retry-After ${Math.round(f.retryAfterMs! / 1000)} s is too long to wait; falling back)` : message;
      await finishAttempt(deps, scope, entry, span, failedRecord(f.outcome, f.errorClass, note, latencyMs));
      if (!retry) return { kind: "failed", outcome: f.outcome, errorClass: f.errorClass, message: note };
      await deps.sleep(delay, scope.ctx.signal);
    }
  }
}

function failedRecord(outcome: CallOutcome, errorClass: string, message: string, latencyMs: number): AttemptRecord {
  return { outcome, inputTokens: 0, outputTokens: 0, estimated: false, outputChars: 0, latencyMs, errorClass, errorMessage: message, note: message };
}

/** Ends the attempt's span and writes its ledger row. A ledger failure is logged, never fatal to the call. */
export async function finishAttempt(deps: AttemptDeps, scope: CallScope, entry: ChainEntry, span: Span, r: AttemptRecord): Promise<void> {
  endChatSpan(span, r, deps.captureContent);
  const note = [scope.note, r.note].filter(Boolean).join("; ") || undefined;
  try {
    await recordCall(deps.db, {
      role: scope.role,
      editionId: scope.editionId,
      storyId: scope.storyId,
      entry,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      estimated: r.estimated,
      outputChars: r.outputChars,
      latencyMs: r.latencyMs,
      outcome: r.outcome,
      errorClass: r.errorClass,
      note: note ? redact(note).slice(0, 500) : undefined,
    });
  } catch (err) {
    deps.log.error("could not write the model_calls ledger row", { provider: entry.provider, error: redact(String((err as Error)?.message ?? err)) });
  }
}
