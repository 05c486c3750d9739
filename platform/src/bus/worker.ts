// What both bus implementations share: how many handlers run at once, one at a time per
// ordering key, and what a handler's outcome means (ack, nak with backoff, dead letter).
import { createLogger, type Logger } from "../log.js";
import {
  PermanentError,
  RetryLaterError,
  type ConsumerSpec,
  type DeadLetter,
  type DeadLetterSink,
  type Delivery,
  type PublishOptions,
} from "./types.js";

export const DEFAULT_MAX_DELIVER = 5;
export const DEFAULT_ACK_WAIT_MS = 30_000;
export const DEFAULT_BACKOFF_MS = [250, 1000, 5000, 15000];

/** One message held by a worker. The first settle wins; later calls do nothing. */
export interface Lease {
  readonly delivery: Delivery;
  /** False once acked, nakked, terminated or released. */
  readonly open: boolean;
  ack(): void;
  nak(delayMs: number): void;
  /** Never redeliver (the message went to the dead letters). */
  term(): void;
}

export interface LeaseOps {
  ack(): void;
  nak(delayMs: number): void;
  term(): void;
}

/** Wraps a bus's ack/nak/term so that each message is settled exactly once. */
export function makeLease(delivery: Delivery, ops: LeaseOps): Lease {
  let open = true;
  const once = (fn: () => void) => {
    if (!open) return;
    open = false;
    try {
      fn();
    } catch {
      // The connection is gone: the server redelivers after ack_wait.
    }
  };
  return {
    delivery,
    get open() {
      return open;
    },
    ack: () => once(() => ops.ack()),
    nak: (ms) => once(() => ops.nak(ms)),
    term: () => once(() => ops.term()),
  };
}

/** JetStream durable names (and subject tokens) cannot hold dots, wildcards or spaces. */
export function durableName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "_");
}

export function backoffFor(backoffMs: number[] | undefined, attempt: number): number {
  const steps = backoffMs?.length ? backoffMs : DEFAULT_BACKOFF_MS;
  return steps[Math.min(Math.max(attempt, 1), steps.length) - 1];
}

export interface WorkerOptions {
  spec: ConsumerSpec;
  /** Bus prefix, to give dead letters their relative subject. */
  prefix: string;
  handler: (d: Delivery) => Promise<void>;
  deadLetter: DeadLetterSink;
  /** Puts the dead letter on `deadletter.<durable>` too, so operators watching the bus see it. */
  publish: (subject: string, data: Uint8Array, opts: PublishOptions) => Promise<unknown>;
  log?: Logger;
}

export interface Worker {
  /** Resolves when another message may be accepted (fewer than `concurrency` held). */
  whenCapacity(): Promise<void>;
  accept(lease: Lease): void;
  /** Waits for held messages to settle; after `timeoutMs` releases (naks) the rest. */
  drain(timeoutMs: number): Promise<void>;
}

export const DEAD_LETTER_HEADERS = {
  reason: "Newsroom-Dead-Letter-Reason",
  subject: "Newsroom-Dead-Letter-Subject",
  consumer: "Newsroom-Dead-Letter-Consumer",
  deliveries: "Newsroom-Dead-Letter-Deliveries",
} as const;

export function createWorker(opts: WorkerOptions): Worker {
  const { spec, handler } = opts;
  const log = opts.log ?? createLogger("bus");
  const concurrency = Math.max(1, spec.concurrency ?? 1);
  const maxDeliver = spec.maxDeliver ?? DEFAULT_MAX_DELIVER;
  const ackWaitMs = spec.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  const held = new Set<Lease>();
  /** Accepted, not started; the ordering key is worked out once (it may decode the message). */
  const waiting: { lease: Lease; key: string | undefined }[] = [];
  const busyKeys = new Set<string>();
  let running = 0;
  let closed = false;
  let changed: (() => void)[] = [];

  const notify = () => {
    const fns = changed;
    changed = [];
    fns.forEach((f) => f());
  };
  const nextChange = () => new Promise<void>((resolve) => changed.push(resolve));

  const keyOf = (lease: Lease): string | undefined => {
    try {
      return spec.orderingKey?.(lease.delivery) || undefined;
    } catch {
      return undefined;
    }
  };

  // Messages waiting for their key must not be redelivered elsewhere meanwhile.
  const heartbeat = setInterval(() => waiting.forEach(({ lease }) => lease.open && lease.delivery.working()), Math.max(250, ackWaitMs / 3));
  heartbeat.unref();

  const schedule = () => {
    for (let i = 0; i < waiting.length && running < concurrency && !closed; ) {
      const { lease, key } = waiting[i];
      if (key !== undefined && busyKeys.has(key)) {
        i++;
        continue;
      }
      waiting.splice(i, 1);
      void run(lease, key);
    }
  };

  const run = async (lease: Lease, key: string | undefined) => {
    running++;
    if (key !== undefined) busyKeys.add(key);
    try {
      await settle(lease);
    } catch (err) {
      log.error(`${spec.durable}: unexpected failure settling a message: ${text(err)}`);
      lease.nak(backoffFor(spec.backoffMs, lease.delivery.deliveries));
    } finally {
      running--;
      if (key !== undefined) busyKeys.delete(key);
      held.delete(lease);
      schedule();
      notify();
    }
  };

  /** Retries `fn` in place while the system (not the message) is failing: no delivery is spent. */
  const whileSystemFails = async (lease: Lease, what: string, fn: () => Promise<void>): Promise<boolean> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await fn();
        return true;
      } catch (err) {
        if (!lease.open) return false;
        if (!(err instanceof RetryLaterError)) throw err;
        const delay = backoffFor(spec.backoffMs, attempt);
        // Once per message and outage; the dependency watch says when the outage ends.
        (attempt === 1 ? log.warn : log.debug).call(log, `${spec.durable}: ${what} cannot run now, holding the message and retrying with backoff (${delay} ms first): ${err.message}`);
        await sleepWorking(lease, delay);
        if (!lease.open) return false;
      }
    }
  };

  const settle = async (lease: Lease) => {
    const d = lease.delivery;
    if (d.deliveries > maxDeliver) {
      await toDeadLetters(lease, `gave up after ${maxDeliver} deliveries: the last one did not finish (crash or ack timeout)`);
      return;
    }
    try {
      if (await whileSystemFails(lease, `${relative(d.subject)} handler`, () => handler(d))) lease.ack();
    } catch (err) {
      if (err instanceof PermanentError) return toDeadLetters(lease, `permanent error: ${err.message}`);
      if (d.deliveries >= maxDeliver) return toDeadLetters(lease, `failed ${d.deliveries} deliveries, last error: ${text(err)}`);
      const delay = backoffFor(spec.backoffMs, d.deliveries);
      log.warn(`${spec.durable}: ${relative(d.subject)} delivery ${d.deliveries} failed, redelivery in ${delay} ms: ${text(err)}`);
      lease.nak(delay);
    }
  };

  const toDeadLetters = async (lease: Lease, reason: string) => {
    const d = lease.delivery;
    const letter: DeadLetter = { consumer: spec.durable, subject: relative(d.subject), data: d.data, headers: d.headers, reason, deliveries: d.deliveries };
    const sink = () =>
      opts.deadLetter(letter).catch((err) => {
        // The sink stores into the database: when it fails, hold the message until it works.
        throw err instanceof RetryLaterError ? err : new RetryLaterError(`dead-letter sink failed: ${text(err)}`);
      });
    if (!(await whileSystemFails(lease, "dead-letter sink", sink))) return;
    await opts
      .publish(`deadletter.${durableName(spec.durable)}`, d.data, {
        msgId: `dl-${durableName(spec.durable)}-${d.msgId}`,
        headers: {
          ...d.headers,
          [DEAD_LETTER_HEADERS.reason]: oneLine(reason),
          [DEAD_LETTER_HEADERS.subject]: letter.subject,
          [DEAD_LETTER_HEADERS.consumer]: spec.durable,
          [DEAD_LETTER_HEADERS.deliveries]: String(d.deliveries),
        },
      })
      .catch((err) => log.warn(`${spec.durable}: dead letter stored but not published on the bus: ${text(err)}`));
    lease.term();
  };

  const relative = (subject: string) => (subject.startsWith(opts.prefix + ".") ? subject.slice(opts.prefix.length + 1) : subject);

  return {
    async whenCapacity() {
      while (!closed && held.size >= concurrency) await nextChange();
    },
    accept(lease) {
      if (closed) {
        lease.nak(0);
        return;
      }
      held.add(lease);
      waiting.push({ lease, key: keyOf(lease) });
      schedule();
    },
    async drain(timeoutMs) {
      closed = true;
      // Not started yet: hand back at once.
      waiting.splice(0).forEach(({ lease }) => (lease.nak(0), held.delete(lease)));
      const deadline = Date.now() + timeoutMs;
      while (held.size > 0 && Date.now() < deadline) {
        await Promise.race([nextChange(), sleep(Math.min(100, Math.max(0, deadline - Date.now())))]);
      }
      for (const l of held) {
        log.warn(`${spec.durable}: releasing ${relative(l.delivery.subject)} still running after ${timeoutMs} ms`);
        l.nak(0);
      }
      clearInterval(heartbeat);
      notify();
    },
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function sleepWorking(lease: Lease, ms: number): Promise<void> {
  const step = 1000;
  for (let left = ms; left > 0 && lease.open; left -= step) {
    lease.delivery.working();
    await sleep(Math.min(step, left));
  }
}

function text(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** NATS header values cannot hold line breaks. */
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, " ").slice(0, 1000);
}
