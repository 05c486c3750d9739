// Writing an event to the outbox: the one way code queues an event. The row goes in the caller's
// transaction, beside the state change it announces, and the relay (./relay.ts) publishes it
// after the commit; a rollback takes the event with it. Handlers get this as `emit` in
// `ctx.commit`; code outside a handler (an API route, a sweep) calls `writeOutboxEvent` itself.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/schema.js";
import { encodeEvent, type EventBody, type EventMeta, type EventName } from "../events.js";
import type { Emit } from "../handler.js";
import { producerHeaders } from "../telemetry/propagation.js";

/** Which edition (and story) the event is about; `key` makes its idempotency key unique. */
export interface OutboxIds {
  editionId: string;
  storyId?: string;
  key: string;
}

/** Queues event `name` inside `tx` (or as a lone insert where that row is the whole effect: a listener's beacon). */
export async function writeOutboxEvent<N extends EventName>(tx: Transaction<Database> | Kysely<Database>, name: N, body: EventBody<N>, ids: OutboxIds): Promise<void> {
  await tx
    .insertInto("outbox")
    .values({ subject: name, payload: Buffer.from(encodeOutgoing(name, body, ids)), headers: JSON.stringify(producerHeaders(name)) })
    .execute();
}

/** An `emit` that writes to the outbox inside `tx` and tells `onQueued` after each event. */
export function outboxEmit(tx: Transaction<Database>, onQueued?: () => void): Emit {
  return async (name, body, ids) => {
    await writeOutboxEvent(tx, name, body, ids);
    onQueued?.();
  };
}

/** The event's wire bytes, its meta made from `ids` and the current time. */
export function encodeOutgoing<N extends EventName>(name: N, body: object, ids: OutboxIds): Uint8Array {
  const meta: EventMeta = { editionId: ids.editionId, storyId: ids.storyId ?? "", idempotencyKey: ids.key, occurredAt: new Date() };
  return encodeEvent(name, { ...body, meta } as never);
}
