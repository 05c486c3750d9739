// W3C trace context in and out of plain header maps (NATS headers, outbox rows, gRPC metadata,
// environment variables), and a helper that runs code inside a span.
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from "@opentelemetry/api";

export type Carrier = Record<string, string>;

const tracer = trace.getTracer("newsroom");

/** Writes `traceparent` (and `tracestate`, baggage) of `ctx` into `carrier`; a no-op when telemetry is off. */
export function injectHeaders(carrier: Carrier = {}, ctx: Context = context.active()): Carrier {
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The context carried by `carrier`, on top of `base`. Header names are matched case-insensitively. */
export function extractContext(carrier: Record<string, string | string[] | undefined>, base: Context = context.active()): Context {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(carrier)) if (v !== undefined) lower[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  return propagation.extract(base, lower);
}

/** The context a parent process handed over in TRACEPARENT / TRACESTATE (the OTel environment carrier). */
export function contextFromEnv(env: NodeJS.ProcessEnv = process.env): Context {
  const carrier: Carrier = {};
  if (env.TRACEPARENT) carrier.traceparent = env.TRACEPARENT;
  if (env.TRACESTATE) carrier.tracestate = env.TRACESTATE;
  return extractContext(carrier);
}

export interface SpanOptions {
  kind?: SpanKind;
  /** Parent context; defaults to the active one. */
  parent?: Context;
}

/** Runs `fn` in a new active span; an exception marks the span as an error and is rethrown. */
export async function withSpan<T>(name: string, attrs: Attributes, fn: (span: Span) => Promise<T> | T, opts: SpanOptions = {}): Promise<T> {
  const parent = opts.parent ?? context.active();
  return tracer.startActiveSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes: attrs }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** A finished `send <subject>` producer span; returns the headers that carry its context onward. */
export function producerHeaders(subject: string, ctx: Context = context.active()): Carrier {
  const span = tracer.startSpan(
    `send ${subject}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: { "messaging.system": "nats", "messaging.operation.type": "send", "messaging.destination.name": subject },
    },
    ctx,
  );
  const headers = injectHeaders({}, trace.setSpan(ctx, span));
  span.end();
  return headers;
}
