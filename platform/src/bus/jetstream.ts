// The NATS JetStream bus. One stream holds every subject under the prefix; each registration is
// a durable pull consumer (explicit ack, ack wait, bounded deliveries) created idempotently.
// Designed for NATS 2.9: one filter subject per consumer, term() without a reason.
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import { connect, headers as natsHeaders, nanos, type NatsConnection } from "@nats-io/transport-node";
import { redactUrl } from "../db/connect.js";
import { createLogger, type Logger } from "../log.js";
import type { Bus, ConsumerSpec, DeadLetterSink, Delivery, Headers, PublishOptions, Subscription } from "./types.js";
import { createWorker, DEFAULT_ACK_WAIT_MS, DEFAULT_MAX_DELIVER, durableName, makeLease, type Lease } from "./worker.js";

export interface JetStreamOptions {
  url: string;
  prefix?: string;
  stream?: string;
  user?: string;
  pass?: string;
  /** Connection name shown by the server (e.g. the service name). */
  name?: string;
  log?: Logger;
  /** How long a `Nats-Msg-Id` is remembered for dedupe. */
  duplicateWindowMs?: number;
  /** How long messages stay in the stream, so a consumer created later still gets them. */
  maxAgeMs?: number;
}

export class BusUnavailableError extends Error {
  override name = "BusUnavailableError";
}

const MSG_ID = "Nats-Msg-Id";
/** How long the stream keeps a message (and so how long a copy of it can be delivered again). */
export const STREAM_MAX_AGE_MS = 7 * 24 * 3600_000;
const CONNECT_TIMEOUT_MS = 3_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/**
 * The worker dead-letters a message when its delivery count passes maxDeliver, which needs one
 * more delivery after a crash during the last attempt (and one spare if dead-lettering itself was
 * cut short). The server's bound is the safety net behind that.
 */
const SERVER_EXTRA_DELIVERIES = 2;

export async function connectJetStream(opts: JetStreamOptions): Promise<Bus> {
  const prefix = opts.prefix ?? "newsroom";
  const stream = opts.stream ?? "NEWSROOM";
  const log = opts.log ?? createLogger("bus.jetstream");
  const where = redactUrl(opts.url);

  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: opts.url,
      user: opts.user,
      pass: opts.pass,
      name: opts.name,
      timeout: CONNECT_TIMEOUT_MS,
      // Once connected, ride out server restarts instead of failing the service.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
      // No stack captured per request (each publish is one): errors here carry their own context.
      noAsyncTraces: true,
    });
  } catch (err) {
    throw new BusUnavailableError(`cannot reach NATS at ${where}: ${errText(err)}`);
  }

  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc, { timeout: 5_000 });
    await ensureStream(jsm, stream, prefix, opts);
  } catch (err) {
    await nc.close().catch(() => {});
    if (err instanceof BusUnavailableError) throw err;
    throw new BusUnavailableError(`NATS at ${where} has no usable JetStream: ${errText(err)}`);
  }
  const js = jsm.jetstream();
  const subscriptions = new Set<Subscription>();

  const bus: Bus = {
    kind: "jetstream",
    prefix,

    async publish(subject: string, data: Uint8Array, p: PublishOptions) {
      const h = natsHeaders();
      for (const [k, v] of Object.entries(p.headers ?? {})) h.set(k, v);
      try {
        const ack = await js.publish(`${prefix}.${subject}`, data, { msgID: p.msgId, headers: h, timeout: 5_000 });
        return { duplicate: ack.duplicate };
      } catch (err) {
        throw new Error(`cannot publish ${subject} to stream ${stream}: ${errText(err)}`);
      }
    },

    async consume(spec: ConsumerSpec, handler: (d: Delivery) => Promise<void>, deadLetter: DeadLetterSink): Promise<Subscription> {
      const durable = durableName(spec.durable);
      const ackWaitMs = spec.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
      const concurrency = Math.max(1, spec.concurrency ?? 1);
      await ensureConsumer(jsm, stream, {
        durable_name: durable,
        filter_subject: `${prefix}.${spec.subject}`,
        ack_wait: nanos(ackWaitMs),
        max_deliver: (spec.maxDeliver ?? DEFAULT_MAX_DELIVER) + SERVER_EXTRA_DELIVERIES,
      });
      const consumer = await js.consumers.get(stream, durable);
      const messages = await consumer.consume({ max_messages: concurrency });
      const worker = createWorker({ spec, prefix, handler, deadLetter, publish: bus.publish, log });
      let stopping = false;

      void (async () => {
        for await (const s of messages.status()) {
          if (s.type === "consumer_not_found" || s.type === "consumer_deleted" || s.type === "stream_not_found" || s.type === "heartbeats_missed")
            log.warn(`${durable}: ${s.type.replace(/_/g, " ")}`);
        }
      })().catch(() => {});

      const loop = (async () => {
        for await (const m of messages) {
          if (stopping) {
            m.nak(1);
            continue;
          }
          worker.accept(leaseOf(m));
          await worker.whenCapacity();
        }
      })().catch((err) => log.error(`${durable}: consuming stopped: ${errText(err)}`));

      const sub: Subscription = {
        async stop(timeoutMs = DEFAULT_STOP_TIMEOUT_MS) {
          if (stopping) return;
          stopping = true;
          // close() settles once the loop has taken what was already fetched: run them together.
          const closed = messages.close().catch(() => {});
          await worker.drain(timeoutMs);
          await Promise.race([Promise.all([closed, loop]), sleep(1_000)]);
          await nc.flush().catch(() => {});
          subscriptions.delete(sub);
        },
      };
      subscriptions.add(sub);
      return sub;
    },

    async ping() {
      await nc.rtt();
    },

    async close() {
      await Promise.all([...subscriptions].map((s) => s.stop()));
      await nc.drain().catch(() => nc.close());
    },
  };
  return bus;
}

async function ensureStream(jsm: JetStreamManager, name: string, prefix: string, opts: JetStreamOptions): Promise<void> {
  const config = {
    subjects: [`${prefix}.>`],
    max_age: nanos(opts.maxAgeMs ?? STREAM_MAX_AGE_MS),
    duplicate_window: nanos(opts.duplicateWindowMs ?? 2 * 60_000),
  };
  try {
    await jsm.streams.add({ name, retention: RetentionPolicy.Limits, storage: StorageType.File, num_replicas: 1, ...config });
  } catch (err) {
    // 10058: the stream exists with another configuration; bring it up to date.
    if ((err as { code?: number }).code !== 10058) throw err;
    await jsm.streams.update(name, config);
  }
}

/**
 * Creates the durable when missing and updates it when its settings changed. It is not re-added
 * when it exists: on NATS 2.9 that resets the delivery counts of messages in flight.
 */
async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  want: { durable_name: string; filter_subject: string; ack_wait: number; max_deliver: number },
): Promise<void> {
  const info = await jsm.consumers.info(stream, want.durable_name).catch((err) => {
    if ((err as { code?: number }).code === JetStreamApiCodes.ConsumerNotFound) return null;
    throw err;
  });
  if (!info) {
    await jsm.consumers.add(stream, { ...want, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
    return;
  }
  const have = info.config;
  if (have.filter_subject !== want.filter_subject || have.ack_wait !== want.ack_wait || have.max_deliver !== want.max_deliver) {
    const { durable_name: _, ...changes } = want;
    await jsm.consumers.update(stream, want.durable_name, changes);
  }
}

function leaseOf(m: JsMsg): Lease {
  const headers: Headers = {};
  for (const k of m.headers?.keys() ?? []) if (k !== MSG_ID) headers[k] = m.headers!.get(k);
  const delivery: Delivery = {
    subject: m.subject,
    data: m.data,
    headers,
    msgId: m.headers?.get(MSG_ID) || `${m.info.stream}:${m.seq}`,
    deliveries: m.info.deliveryCount,
    working: () => m.working(),
  };
  return makeLease(delivery, {
    ack: () => m.ack(),
    // NATS 2.9 does not count a redelivery after a NAK without delay: always give one.
    nak: (ms) => m.nak(Math.max(1, ms)),
    term: () => m.term(),
  });
}

function errText(err: unknown): string {
  const e = err as { message?: string; code?: string };
  return e?.message || e?.code || String(err);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
