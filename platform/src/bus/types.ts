// The message bus seen by the rest of the code. Two implementations: JetStream (./jetstream.ts)
// and in-process (./memory.ts); one contract test suite runs against both.

export type Headers = Record<string, string>;

export interface PublishOptions {
  /** Deduplication id (JetStream `Nats-Msg-Id`); the outbox relay uses the outbox row id. */
  msgId: string;
  headers?: Headers;
}

export interface Delivery {
  /** Full subject, prefix included. */
  subject: string;
  data: Uint8Array;
  headers: Headers;
  msgId: string;
  /** 1 on first delivery. */
  deliveries: number;
  /** Tell the bus the handler is still busy (extends the ack deadline). */
  working(): void;
}

export interface ConsumerSpec {
  /** Durable consumer name; several workers with the same name compete for messages. */
  durable: string;
  /** Subject relative to the bus prefix, e.g. "story.ingested". */
  subject: string;
  /** Deliveries before a message goes to the dead letters. */
  maxDeliver?: number;
  ackWaitMs?: number;
  /** Handlers running at once in this worker. */
  concurrency?: number;
  /** Delay before redelivery after a transient failure, indexed by delivery count (last repeats). */
  backoffMs?: number[];
  /** Messages with the same key are handled one at a time, in order, within a worker. */
  orderingKey?: (d: Delivery) => string | undefined;
}

/** Thrown by a handler for errors that retrying cannot fix (malformed event, missing row). */
export class PermanentError extends Error {
  override name = "PermanentError";
}

/**
 * Thrown when the system, not the message, failed (database down, table missing): the message is
 * redelivered with backoff and never dead-lettered for it, so an outage loses nothing.
 */
export class RetryLaterError extends Error {
  override name = "RetryLaterError";
}

export interface DeadLetter {
  consumer: string;
  /** Relative to the bus prefix, as `publish()` takes it, so a replay can re-publish it. */
  subject: string;
  data: Uint8Array;
  headers: Headers;
  reason: string;
  deliveries: number;
}

/** Where messages go after their last delivery failed; the runner stores them in `dead_letters`. */
export type DeadLetterSink = (letter: DeadLetter) => Promise<void>;

export interface Subscription {
  /** Stop taking new messages; wait for in-flight handlers (or release them after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

export interface Bus {
  readonly kind: "jetstream" | "memory";
  /** Subject prefix, default "newsroom". */
  readonly prefix: string;
  publish(subject: string, data: Uint8Array, opts: PublishOptions): Promise<{ duplicate: boolean }>;
  /** Handler resolves: ack. Throws: nak with backoff, or dead-letter (PermanentError / max deliveries). */
  consume(spec: ConsumerSpec, handler: (d: Delivery) => Promise<void>, deadLetter: DeadLetterSink): Promise<Subscription>;
  /** Drain: stop consumers, flush, close the connection. */
  close(): Promise<void>;
  /** Throws when the server cannot be reached right now (absent: the bus is in this process). */
  ping?(): Promise<void>;
}
