// Per-provider resilience for models: the shared circuit breaker (../resilience/policy.ts) around
// the provider's concurrency and rate limits (./limits.ts), plus what to do with each failure:
// which errors are worth a retry, how long to wait (Retry-After first, jittered backoff
// otherwise) and which ones count against the provider's health.
import { BrokenCircuitError } from "cockatiel";
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { ProviderConfig } from "../config/schema.js";
import { breakerIsOpen, providerBreaker, retryableStatus, type BackoffOptions, type BreakerOptions } from "../resilience/policy.js";
import { createProviderLimits } from "./limits.js";

export interface RetryOptions extends BackoffOptions {
  /** A Retry-After longer than this is not waited for: the chain falls back instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { initialDelayMs: 250, maxDelayMs: 8_000, maxRetryAfterMs: 20_000 };

/** Raised inside the client when an attempt ran past the provider's timeout. */
export class AttemptTimeoutError extends Error {
  override name = "AttemptTimeoutError";
}

/** Raised before calling a provider whose api_key_env is not set. */
export class MissingApiKeyError extends Error {
  override name = "MissingApiKeyError";
}

export interface ProviderPolicy {
  /** Runs one request through the breaker and the provider's limits (./limits.ts); `queued` hears how long it waited. */
  execute<T>(fn: () => Promise<T>, queued?: (waitMs: number) => void, signal?: AbortSignal): Promise<T>;
  isOpen(): boolean;
}

export function createProviderPolicy(cfg: ProviderConfig, breaker: BreakerOptions | false): ProviderPolicy {
  const limits = createProviderLimits(cfg);
  if (!breaker) return { execute: (fn, queued, signal) => limits.run(fn, queued, signal), isOpen: () => false };
  const cb = providerBreaker(breaker, (e) => classifyError(e).countsAgainstProvider);
  return {
    execute: (fn, queued, signal) => cb.execute(() => limits.run(fn, queued, signal)),
    isOpen: () => breakerIsOpen(cb),
  };
}

export interface Failure {
  outcome: "error" | "timeout";
  /** Short, stable and secret-free: http_503, timeout, network, circuit_open, ... */
  errorClass: string;
  retryable: boolean;
  /** A provider outage (not a bad request): counts towards opening the breaker. */
  countsAgainstProvider: boolean;
  retryAfterMs?: number;
}

export function classifyError(err: unknown): Failure {
  const f = (errorClass: string, retryable: boolean, countsAgainstProvider = retryable, outcome: Failure["outcome"] = "error"): Failure => ({
    outcome,
    errorClass,
    retryable,
    countsAgainstProvider,
  });
  if (err instanceof BrokenCircuitError) return f("circuit_open", false, false);
  if (err instanceof AttemptTimeoutError || err instanceof APIConnectionTimeoutError) return f("timeout", true, true, "timeout");
  if (err instanceof MissingApiKeyError) return f("missing_api_key", false, false);
  if (err instanceof APIConnectionError) return f("network", true);
  if (err instanceof APIError && typeof err.status === "number") {
    const s = err.status;
    if (retryableStatus(s)) return { ...f(`http_${s}`, true), retryAfterMs: retryAfterMs(err.headers) };
    // The request, not the provider: the router shrinks the prompt and asks again.
    if (s === 400 && err.code === "context_length_exceeded") return f("context_length_exceeded", false, false);
    // A rejected key or an unknown model is the provider's setup, not this request: trip the breaker too.
    return f(`http_${s}`, false, s === 401 || s === 403 || s === 404);
  }
  return f((err as Error)?.name || "error", false, false);
}

/** Milliseconds the server asked us to wait: retry-after-ms, or Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = headers?.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers?.get("retry-after");
  if (!ra) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Math.max(0, Number(ra) * 1000);
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
