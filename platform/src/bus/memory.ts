// The in-process bus (embedded default). It behaves like a JetStream stream with durable pull
// consumers: every message is kept, a new durable starts from the first one, workers of one
// durable compete, and an unsettled message comes back after ack wait.
import { createLogger, type Logger } from "../log.js";
import type { Bus, ConsumerSpec, DeadLetterSink, Delivery, Headers, PublishOptions, Subscription } from "./types.js";
import { createWorker, DEFAULT_ACK_WAIT_MS, makeLease, type Lease } from "./worker.js";

export interface MemoryBusOptions {
  prefix?: string;
  log?: Logger;
}

interface Stored {
  seq: number;
  subject: string;
  data: Uint8Array;
  headers: Headers;
  msgId: string;
}

interface Retry {
  msg: Stored;
  notBefore: number;
}

interface Durable {
  filter: string;
  /** Index of the next log entry this durable has not looked at. */
  cursor: number;
  retries: Retry[];
  deliveries: Map<number, number>;
  wakers: (() => void)[];
}

export function createMemoryBus(opts: MemoryBusOptions = {}): Bus {
  const prefix = opts.prefix ?? "newsroom";
  const log = opts.log ?? createLogger("bus.memory");
  const stream: Stored[] = [];
  const seen = new Map<string, number>();
  const durables = new Map<string, Durable>();
  const subscriptions = new Set<Subscription>();
  let closed = false;

  const wake = (d: Durable) => d.wakers.splice(0).forEach((f) => f());
  const waitForWork = (d: Durable, ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      d.wakers.push(done);
    });

  /** The next message due for this durable: redeliveries first (oldest message first), then new ones. */
  const takeNext = (d: Durable): { msg?: Stored; waitMs: number } => {
    const now = Date.now();
    let best = -1;
    let soonest = Infinity;
    d.retries.forEach((r, i) => {
      if (r.notBefore <= now) {
        if (best < 0 || r.msg.seq < d.retries[best].msg.seq) best = i;
      } else soonest = Math.min(soonest, r.notBefore - now);
    });
    if (best >= 0) return { msg: d.retries.splice(best, 1)[0].msg, waitMs: 0 };
    while (d.cursor < stream.length) {
      const msg = stream[d.cursor++];
      if (msg.subject === d.filter) return { msg, waitMs: 0 };
    }
    return { waitMs: Math.min(soonest, 1000) };
  };

  const lease = (d: Durable, msg: Stored, ackWaitMs: number): Lease => {
    const count = (d.deliveries.get(msg.seq) ?? 0) + 1;
    d.deliveries.set(msg.seq, count);
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => l.nak(0), ackWaitMs);
      timer.unref();
    };
    const done = () => {
      clearTimeout(timer);
      d.deliveries.delete(msg.seq);
      wake(d);
    };
    const delivery: Delivery = {
      subject: msg.subject,
      data: msg.data,
      headers: { ...msg.headers },
      msgId: msg.msgId,
      deliveries: count,
      working: () => l.open && arm(),
    };
    const l = makeLease(delivery, {
      ack: done,
      term: done,
      nak(delayMs) {
        clearTimeout(timer);
        d.retries.push({ msg, notBefore: Date.now() + delayMs });
        wake(d);
      },
    });
    arm();
    return l;
  };

  const bus: Bus = {
    kind: "memory",
    prefix,

    async publish(subject: string, data: Uint8Array, p: PublishOptions) {
      if (closed) throw new Error("the in-process bus is closed");
      if (seen.has(p.msgId)) return { duplicate: true };
      const msg: Stored = { seq: stream.length + 1, subject: `${prefix}.${subject}`, data, headers: { ...p.headers }, msgId: p.msgId };
      seen.set(p.msgId, msg.seq);
      stream.push(msg);
      for (const d of durables.values()) if (d.filter === msg.subject) wake(d);
      return { duplicate: false };
    },

    async consume(spec: ConsumerSpec, handler: (d: Delivery) => Promise<void>, deadLetter: DeadLetterSink): Promise<Subscription> {
      if (closed) throw new Error("the in-process bus is closed");
      const filter = `${prefix}.${spec.subject}`;
      let d = durables.get(spec.durable);
      if (!d) {
        d = { filter, cursor: 0, retries: [], deliveries: new Map(), wakers: [] };
        durables.set(spec.durable, d);
      } else if (d.filter !== filter) {
        throw new Error(`durable consumer ${spec.durable} already reads ${d.filter}, not ${filter}`);
      }
      const durable = d;
      const worker = createWorker({ spec, prefix, handler, deadLetter, publish: bus.publish, log });
      const ackWaitMs = spec.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
      let stopping = false;

      const loop = (async () => {
        while (!stopping) {
          await worker.whenCapacity();
          if (stopping) break;
          const next = takeNext(durable);
          if (next.msg) worker.accept(lease(durable, next.msg, ackWaitMs));
          else await waitForWork(durable, next.waitMs);
        }
      })();

      const sub: Subscription = {
        async stop(timeoutMs = 10_000) {
          if (stopping) return;
          stopping = true;
          wake(durable);
          await worker.drain(timeoutMs);
          await loop;
          subscriptions.delete(sub);
        },
      };
      subscriptions.add(sub);
      return sub;
    },

    async close() {
      await Promise.all([...subscriptions].map((s) => s.stop()));
      closed = true;
    },
  };
  return bus;
}
