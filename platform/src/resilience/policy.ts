// Resilience for calls to outside providers, one recipe for the model router (../router/) and
// the voice service's synthesizer: a circuit breaker per provider that consecutive failures
// open, jittered exponential backoff between retries, and the HTTP statuses worth asking again.
// What counts as a failure, and how many retries a provider gets, stay with each caller.
import { CircuitState, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, type CircuitBreakerPolicy, type IBackoff } from "cockatiel";

export interface BreakerOptions {
  /** Consecutive provider failures that open the breaker. */
  threshold: number;
  /** How long it stays open before one trial call is let through. */
  halfOpenAfterMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { threshold: 5, halfOpenAfterMs: 30_000 };

export interface BackoffOptions {
  /** The first retry's delay (before jitter); later ones grow exponentially. */
  initialDelayMs: number;
  maxDelayMs: number;
}

/** The request may succeed if sent again: timeout, conflict, rate limit, or the server's own fault. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** A provider's circuit breaker: opens after `threshold` failures in a row that `countsAgainstProvider`. */
export function providerBreaker(opts: BreakerOptions, countsAgainstProvider: (err: Error) => boolean): CircuitBreakerPolicy {
  return circuitBreaker(handleWhen(countsAgainstProvider), { halfOpenAfter: opts.halfOpenAfterMs, breaker: new ConsecutiveBreaker(opts.threshold) });
}

/** Open (or held open by hand): calls fail at once without reaching the provider. */
export function breakerIsOpen(breaker: CircuitBreakerPolicy): boolean {
  return breaker.state === CircuitState.Open || breaker.state === CircuitState.Isolated;
}

/** Jittered exponential delays (cockatiel's decorrelated jitter), for a cockatiel `retry` policy. */
export function jitteredBackoff(opts: BackoffOptions): ExponentialBackoff<unknown> {
  return new ExponentialBackoff({ initialDelay: opts.initialDelayMs, maxDelay: opts.maxDelayMs });
}

/** The same delays one after another, for a retry loop written by hand (one call's retries). */
export function backoffSequence(opts: BackoffOptions): () => number {
  let b: IBackoff<unknown> = jitteredBackoff(opts).next();
  return () => {
    b = b.next(undefined);
    return b.duration;
  };
}
