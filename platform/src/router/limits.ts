// Per-provider admission: at most `max_concurrency` requests in flight and at most
// `requests_per_minute` started in any rolling minute (p-queue's strict sliding window), so
// many stories at once never overrun a vendor's limits. The time a request queued is handed
// to the caller, who puts it on the `chat` span.
import PQueue from "p-queue";
import type { ProviderConfig } from "../config/schema.js";

export interface ProviderLimits {
  /** Runs `fn` once admitted; `queued(ms)` is called first when it had to wait (ms > 0). */
  run<T>(fn: () => Promise<T>, queued?: (waitMs: number) => void, signal?: AbortSignal): Promise<T>;
  /** Requests waiting for admission now. */
  readonly waiting: number;
}

export function createProviderLimits(cfg: Pick<ProviderConfig, "max_concurrency" | "requests_per_minute">): ProviderLimits {
  const queue = new PQueue({
    concurrency: cfg.max_concurrency,
    ...(cfg.requests_per_minute ? { intervalCap: cfg.requests_per_minute, interval: 60_000, strict: true } : {}),
  });
  return {
    run<T>(fn: () => Promise<T>, queued?: (waitMs: number) => void, signal?: AbortSignal): Promise<T> {
      const asked = performance.now();
      return queue.add(
        () => {
          const waitMs = performance.now() - asked;
          // Under a millisecond is the queue's own bookkeeping, not waiting for the vendor.
          if (waitMs >= 1) queued?.(waitMs);
          return fn();
        },
        // A caller that gives up while queued leaves the queue at once.
        { signal },
      ) as Promise<T>;
    },
    get waiting() {
      return queue.size;
    },
  };
}
