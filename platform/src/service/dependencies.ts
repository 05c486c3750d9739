// Watches what a running service depends on (the database, the bus). When one goes away the
// service stays up: handlers and the outbox relay retry with backoff, the gRPC health service says
// NOT_SERVING (so probes and load balancers look elsewhere), and the outage is logged once when it
// starts and once when it ends, not once per attempt. Everything resumes on its own.
import type { Logger } from "../log.js";

export interface Dependency {
  /** "database", "NATS" */
  name: string;
  /** Where it is (credentials removed), for the log line. */
  where: string;
  /** Resolves when the dependency answers; throws (or hangs past the timeout) when it is away. */
  check(): Promise<void>;
}

export interface DependencyWatchOptions {
  dependencies: Dependency[];
  log: Logger;
  /** Called with false when one dependency goes away, true when all are back. */
  onReady(ready: boolean): void;
  /** Between checks while all is well; doubles while one is away, up to `maxIntervalMs`. */
  intervalMs?: number;
  maxIntervalMs?: number;
  timeoutMs?: number;
}

export interface DependencyWatch {
  /** Names of the dependencies away right now. */
  away(): string[];
  stop(): void;
}

export function watchDependencies(opts: DependencyWatchOptions): DependencyWatch {
  const intervalMs = opts.intervalMs ?? 1_000;
  const maxIntervalMs = opts.maxIntervalMs ?? 5_000;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const awaySince = new Map<Dependency, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let delay = intervalMs;

  const check = async (dep: Dependency): Promise<string | undefined> => {
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        dep.check(),
        new Promise((_, reject) => (timeout = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs))),
      ]);
      return undefined;
    } catch (err) {
      return (err as Error)?.message || String(err);
    } finally {
      clearTimeout(timeout);
    }
  };

  const round = async () => {
    const wasReady = awaySince.size === 0;
    for (const dep of opts.dependencies) {
      const problem = await check(dep);
      if (stopped) return;
      const since = awaySince.get(dep);
      if (problem !== undefined && since === undefined) {
        awaySince.set(dep, Date.now());
        opts.log.warn(`${dep.name} at ${dep.where} is away (${problem}); work waits and retries with backoff, health is NOT_SERVING until it is back`);
      } else if (problem === undefined && since !== undefined) {
        awaySince.delete(dep);
        opts.log.info(`${dep.name} at ${dep.where} is back after ${((Date.now() - since) / 1000).toFixed(1)} s`);
      }
    }
    const ready = awaySince.size === 0;
    if (ready !== wasReady) opts.onReady(ready);
    delay = ready ? intervalMs : Math.min(delay * 2, maxIntervalMs);
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void round().finally(schedule), delay);
    timer.unref();
  };
  schedule();

  return {
    away: () => [...awaySince.keys()].map((d) => d.name),
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
