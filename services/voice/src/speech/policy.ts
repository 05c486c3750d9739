// Per-provider resilience for speech, built from the newsroom's one recipe
// (@newsroom/platform/resilience/policy): retries with jittered backoff for retryable failures,
// wrapped around a circuit breaker that opens after consecutive failures (cancellations aside).
import { handleWhen, retry, wrap, type IPolicy } from "cockatiel";
import type { TtsProviderConfig } from "@newsroom/platform/config/schema";
import type { Logger } from "@newsroom/platform/log";
import { DEFAULT_BREAKER, jitteredBackoff, providerBreaker, type BreakerOptions } from "@newsroom/platform/resilience/policy";
import { TtsError } from "../providers/types.js";
import { currentSpanEvent } from "../telemetry.js";

export interface SpeechPolicyOptions {
  /** First retry delay; later ones grow exponentially with jitter. */
  retryDelayMs?: number;
  /** Consecutive failures that open a provider's breaker, and how long it stays open. */
  breaker?: BreakerOptions;
  log?: Logger;
}

export function speechProviderPolicy(name: string, cfg: TtsProviderConfig, opts: SpeechPolicyOptions): IPolicy {
  const { log } = opts;
  const breakerOpts = opts.breaker ?? DEFAULT_BREAKER;
  const breaker = providerBreaker(breakerOpts, (e) => !isCancellation(e));
  breaker.onBreak(() => {
    log?.warn(`TTS provider ${name}: circuit open after ${breakerOpts.threshold} failures in a row`);
    currentSpanEvent("breakerOpen", { "gen_ai.provider.name": name });
  });
  breaker.onReset(() => log?.info(`TTS provider ${name}: circuit closed again`));
  const retries = retry(
    handleWhen((e) => e instanceof TtsError && e.retryable),
    { maxAttempts: cfg.max_retries, backoff: jitteredBackoff({ initialDelayMs: opts.retryDelayMs ?? 250, maxDelayMs: 5_000 }) },
  );
  return wrap(retries, breaker);
}

function isCancellation(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || err.name === "TaskCancelledError");
}
