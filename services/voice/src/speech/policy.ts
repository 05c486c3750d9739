// Per-provider resilience for speech: retries with jittered backoff for retryable failures,
// wrapped around a circuit breaker that opens after consecutive failures (cancellations aside).
import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleWhen, retry, wrap, type IPolicy } from "cockatiel";
import type { TtsProviderConfig } from "@newsroom/platform/config/schema";
import type { Logger } from "@newsroom/platform/log";
import { TtsError } from "../providers/types.js";
import { currentSpanEvent } from "../telemetry.js";

export interface SpeechPolicyOptions {
  /** First retry delay; later ones grow exponentially with jitter. */
  retryDelayMs?: number;
  /** Consecutive failures that open a provider's breaker, and how long it stays open. */
  breaker?: { failures: number; halfOpenAfterMs: number };
  log?: Logger;
}

export function speechProviderPolicy(name: string, cfg: TtsProviderConfig, opts: SpeechPolicyOptions): IPolicy {
  const { log } = opts;
  const breakerOpts = opts.breaker ?? { failures: 5, halfOpenAfterMs: 30_000 };
  const breaker = circuitBreaker(
    handleWhen((e) => !isCancellation(e)),
    { halfOpenAfter: breakerOpts.halfOpenAfterMs, breaker: new ConsecutiveBreaker(breakerOpts.failures) },
  );
  breaker.onBreak(() => {
    log?.warn(`TTS provider ${name}: circuit open after ${breakerOpts.failures} failures in a row`);
    currentSpanEvent("breakerOpen", { "gen_ai.provider.name": name });
  });
  breaker.onReset(() => log?.info(`TTS provider ${name}: circuit closed again`));
  const retries = retry(
    handleWhen((e) => e instanceof TtsError && e.retryable),
    { maxAttempts: cfg.max_retries, backoff: new ExponentialBackoff({ initialDelay: opts.retryDelayMs ?? 250, maxDelay: 5_000 }) },
  );
  return wrap(retries, breaker);
}

function isCancellation(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || err.name === "TaskCancelledError");
}
