// Runs a service's registrations on the bus: decode, skip what was already processed, run the
// handler inside a `process <subject>` span, commit, then let the bus ack.
import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { PermanentError, type Bus, type DeadLetterSink, type Delivery, type Subscription } from "../bus/types.js";
import { DEFAULT_ACK_WAIT_MS, DEFAULT_BACKOFF_MS, DEFAULT_MAX_DELIVER } from "../bus/worker.js";
import type { Db } from "../db/connect.js";
import { decodeEvent, type EventName } from "../events.js";
import type { Registration } from "../handler.js";
import { createLogger, type Logger } from "../log.js";
import { extractContext, withSpan } from "../telemetry/propagation.js";
import { AlreadyProcessedError, createHandlerContext, isProcessed, type ContextOptions } from "./context.js";
import { asSystemFailure } from "./system-failure.js";


/**
 * Handlers of one consumer running at once in one process, unless a registration says otherwise.
 * Stories move side by side (an edition takes about as long as its longest story); events of one
 * story still run one at a time, in order (`storyOf`), and model calls are bounded per provider
 * by the router (`providers.<name>.max_concurrency`, `requests_per_minute`), not here.
 */
export const DEFAULT_HANDLER_CONCURRENCY = 16;

export interface ConsumersOptions {
  bus: Bus;
  db: Db;
  /** Each registration has its own event type, hence `any`. */
  registrations: readonly Registration<any>[];
  /** After a commit that queued events: the outbox relay's nudge(). */
  onCommitted?: () => void;
  onProgress?: ContextOptions["onProgress"];
  log?: Logger;
}

export interface RunningConsumers {
  /** Stop taking messages; wait up to `timeoutMs` for handlers, then release what still runs. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startConsumers(opts: ConsumersOptions): Promise<RunningConsumers> {
  const log = opts.log ?? createLogger("runner");
  const subs: Subscription[] = [];
  try {
    for (const reg of opts.registrations as readonly Registration<EventName>[]) {
      const sub = await opts.bus.consume(
        {
          durable: reg.consumer,
          subject: reg.event,
          maxDeliver: reg.maxDeliver ?? DEFAULT_MAX_DELIVER,
          ackWaitMs: reg.ackWaitMs ?? DEFAULT_ACK_WAIT_MS,
          concurrency: reg.concurrency ?? DEFAULT_HANDLER_CONCURRENCY,
          backoffMs: DEFAULT_BACKOFF_MS,
          orderingKey: (d) => storyOf(reg.event, d),
        },
        (d) => traced(reg, d, () => handle(opts, reg, d, log)),
        deadLetterSink(opts.db, log),
      );
      subs.push(sub);
    }
  } catch (err) {
    await Promise.all(subs.map((s) => s.stop(1_000)));
    throw err;
  }
  log.info(`consuming ${opts.registrations.map((r) => `${r.event} as ${r.consumer}`).join(", ")} on the ${opts.bus.kind} bus`);
  return {
    async stop(timeoutMs) {
      await Promise.all(subs.map((s) => s.stop(timeoutMs)));
    },
  };
}

async function handle(opts: ConsumersOptions, reg: Registration<EventName>, d: Delivery, log: Logger): Promise<void> {
  const event = decode(reg.event, d.data);
  const meta = event.meta!;
  try {
    if (await isProcessed(opts.db, reg.consumer, meta.idempotencyKey)) {
      log.debug(`${reg.consumer}: ${reg.event} ${meta.idempotencyKey} already processed, acking`);
      return;
    }
    const ctx = createHandlerContext({
      db: opts.db,
      consumer: reg.consumer,
      meta,
      working: d.working,
      onCommitted: opts.onCommitted,
      onProgress: opts.onProgress,
    });
    await reg.handle(event, ctx);
    await ctx.finish();
  } catch (err) {
    // A competing worker (or this one before a crash) already committed this event.
    if (err instanceof AlreadyProcessedError) return;
    throw asSystemFailure(err) ?? err;
  }
}

function decode(name: EventName, data: Uint8Array) {
  let event;
  try {
    event = decodeEvent(name, data);
  } catch (err) {
    throw new PermanentError(`malformed ${name} event: ${(err as Error).message}`);
  }
  if (!event.meta?.idempotencyKey) throw new PermanentError(`malformed ${name} event: no meta or idempotency key`);
  return event;
}

/** Events of one story are handled in order; edition-wide events are not serialised. */
function storyOf(name: EventName, d: Delivery): string | undefined {
  try {
    return decodeEvent(name, d.data).meta?.storyId || undefined;
  } catch {
    return undefined;
  }
}

/** A CONSUMER span, child of the producer's context carried in the message headers. */
function traced(reg: Registration<EventName>, d: Delivery, fn: () => Promise<void>): Promise<void> {
  const attributes = {
    "messaging.system": "nats",
    "messaging.operation.type": "process",
    "messaging.destination.name": reg.event,
    "messaging.consumer.group.name": reg.consumer,
    "messaging.message.id": d.msgId,
  };
  return withSpan(`process ${reg.event}`, attributes, fn, { kind: SpanKind.CONSUMER, parent: extractContext(d.headers, ROOT_CONTEXT) });
}

function deadLetterSink(db: Db, log: Logger): DeadLetterSink {
  return async (letter) => {
    await db
      .insertInto("dead_letters")
      .values({
        consumer: letter.consumer,
        subject: letter.subject,
        payload: Buffer.from(letter.data),
        headers: JSON.stringify(letter.headers),
        reason: letter.reason,
        deliveries: letter.deliveries,
      })
      .execute();
    log.warn(`dead letter: ${letter.consumer} gave up on ${letter.subject} after ${letter.deliveries} deliveries: ${letter.reason}`);
  };
}
