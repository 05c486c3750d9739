// What a service registers: plain functions of (event, context) that can be tested without a server.
import type { Transaction } from "kysely";
import type { Db } from "./db/connect.js";
import type { Database } from "./db/schema.js";
import type { EventBody, EventMeta, EventName, EventOf } from "./events.js";
import { consumerName, type ConsumedBy, type ServiceName } from "./newsroom.js";

export interface Emit {
  /** Queue an event in the outbox, in the same transaction. `key` makes its idempotency key unique. */
  <N extends EventName>(name: N, body: EventBody<N>, ids: { editionId: string; storyId?: string; key: string }): Promise<void>;
}

export interface HandlerContext {
  /** For reads and for records that must survive a rollback (model_calls). */
  db: Db;
  meta: EventMeta;
  /** Effects plus the events they cause, committed together with this event's processed key. Call at most once. */
  commit(fn: (tx: Transaction<Database>, emit: Emit) => Promise<void>): Promise<void>;
  /** Keep the message from being redelivered while a long model call runs. */
  working(): void;
  /** Progress line for the edition (shown by the CLI and WatchEdition). */
  progress(stage: string, message: string, storyId?: string): Promise<void>;
}

export type Handler<N extends EventName> = (event: EventOf<N>, ctx: HandlerContext) => Promise<void>;

export interface Registration<N extends EventName = EventName> {
  event: N;
  /** Durable consumer name, unique per (service, event). */
  consumer: string;
  handle: Handler<N>;
  /** Handlers at once in one process; default DEFAULT_HANDLER_CONCURRENCY (runner/consumers.ts). */
  concurrency?: number;
  maxDeliver?: number;
  ackWaitMs?: number;
}

export function on<N extends EventName>(
  event: N,
  consumer: string,
  handle: Handler<N>,
  opts: Omit<Registration<N>, "event" | "consumer" | "handle"> = {},
): Registration<N> {
  return { event, consumer, handle, ...opts };
}

/**
 * A service's registration as the newsroom's map declares it (platform/src/newsroom.ts): only an
 * event the map says `service` consumes, under the durable consumer name the map derives.
 */
export function consume<S extends ServiceName, N extends ConsumedBy<S>>(
  service: S,
  event: N,
  handle: Handler<N>,
  opts: Omit<Registration<N>, "event" | "consumer" | "handle"> = {},
): Registration<N> {
  return on(event, consumerName(service, event), handle, opts);
}
