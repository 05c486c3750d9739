// Trace context over gRPC metadata: a client interceptor that opens a CLIENT span and injects
// `traceparent`, and a server handler wrapper that extracts it and runs the handler in a SERVER
// span `<service>/<method>` (rpc.system = grpc).
import { InterceptingCall, status as Status, type Interceptor } from "@grpc/grpc-js";
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { methodInfo, type HandlerWrapper, type MethodInfo } from "../grpc/handlers.js";
import { extractContext, injectHeaders } from "./propagation.js";

const tracer = trace.getTracer("newsroom.grpc");

// Per the RPC semantic conventions, these codes are the server's fault; any non-OK is the client's.
const SERVER_FAULTS = new Set([Status.UNKNOWN, Status.DEADLINE_EXCEEDED, Status.UNIMPLEMENTED, Status.INTERNAL, Status.UNAVAILABLE, Status.DATA_LOSS]);

function rpcAttributes(m: MethodInfo) {
  return { "rpc.system": "grpc", "rpc.service": m.service, "rpc.method": m.method };
}

function endRpcSpan(span: Span, code: number, details: string | undefined, isError: boolean): void {
  span.setAttribute("rpc.grpc.status_code", code);
  if (isError) span.setStatus({ code: SpanStatusCode.ERROR, message: details });
  span.end();
}

/** Client side: a CLIENT span per call, its context sent as `traceparent` metadata. */
export function traceClientInterceptor(): Interceptor {
  return (options, nextCall) => {
    const m = methodInfo(options.method_definition.path, options.method_definition.responseStream);
    // Captured now: the interceptor runs synchronously inside the caller's context.
    const parent = context.active();
    const span = tracer.startSpan(`${m.service}/${m.method}`, { kind: SpanKind.CLIENT, attributes: rpcAttributes(m) }, parent);
    return new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        for (const [key, value] of Object.entries(injectHeaders({}, trace.setSpan(parent, span)))) metadata.set(key, value);
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            endRpcSpan(span, status.code, status.details, status.code !== Status.OK);
            nextStatus(status);
          },
        });
      },
    });
  };
}

/** Server side: the handler runs inside a SERVER span whose parent is the caller's `traceparent`. */
export const traceServerHandler: HandlerWrapper = (handler, m) => (call, callback) => {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(call.metadata.getMap())) carrier[key] = value.toString();
  const parent = extractContext(carrier, ROOT_CONTEXT);
  const span = tracer.startSpan(`${m.service}/${m.method}`, { kind: SpanKind.SERVER, attributes: rpcAttributes(m) }, parent);
  const active = trace.setSpan(parent, span);

  let ended = false;
  const end = (code: number, details?: string) => {
    if (ended) return;
    ended = true;
    endRpcSpan(span, code, details, SERVER_FAULTS.has(code));
  };

  if (callback) {
    context.with(active, () =>
      handler(call, (err, value, ...rest) => {
        end(err ? (err.code ?? Status.UNKNOWN) : Status.OK, err?.details ?? (err as Error | null)?.message);
        callback(err, value, ...rest);
      }),
    );
    return;
  }
  let failure: { code: number; details?: string } | undefined;
  call.on("error", (err) => {
    const e = err as { code?: number; details?: string; message?: string };
    failure = { code: e.code ?? Status.UNKNOWN, details: e.details ?? e.message };
  });
  call.once("finish", () => end(failure?.code ?? Status.OK, failure?.details));
  call.once("cancelled", () => end(Status.CANCELLED, "cancelled by the client"));
  call.once("close", () => end(failure?.code ?? Status.OK, failure?.details));
  context.with(active, () => handler(call));
};
