// Wrapping every handler of a gRPC service (tracing, auth) without caring about its call shape.
import type {
  Metadata,
  sendUnaryData,
  ServerErrorResponse,
  StatusObject,
  ServiceDefinition,
  UntypedHandleCall,
  UntypedServiceImplementation,
} from "@grpc/grpc-js";

export interface MethodInfo {
  /** "/newsroom.v1.NewsroomService/RunEdition" */
  path: string;
  /** "newsroom.v1.NewsroomService" */
  service: string;
  /** "RunEdition" */
  method: string;
  /** Server or bidi streaming: the handler answers through the call, not a callback. */
  responseStream: boolean;
}

/** The call as a wrapper sees it: metadata, and (for streaming responses) the stream's events. */
export interface AnyServerCall {
  metadata: Metadata;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): boolean;
}

/** Every handler has the shape (call, callback?) — callback only for unary and client-streaming. */
export type AnyHandler = (call: AnyServerCall, callback?: sendUnaryData<unknown>) => void;
export type HandlerWrapper = (handler: AnyHandler, method: MethodInfo) => AnyHandler;

export function methodInfo(path: string, responseStream: boolean): MethodInfo {
  const [, service = "", method = ""] = /^\/([^/]+)\/([^/]+)$/.exec(path) ?? [];
  return { path, service, method, responseStream };
}

/** The fully-qualified service name of a definition (what health checks and spans call it). */
export function serviceName(definition: ServiceDefinition): string {
  const first = Object.values(definition)[0];
  if (!first) throw new Error("a gRPC service definition with no methods");
  return methodInfo(first.path, first.responseStream).service;
}

/** `implementation` with every method passed through `wrappers` (the first one runs outermost). */
export function wrapImplementation(
  definition: ServiceDefinition,
  implementation: UntypedServiceImplementation,
  wrappers: HandlerWrapper[],
): UntypedServiceImplementation {
  const out: UntypedServiceImplementation = {};
  for (const [key, def] of Object.entries(definition)) {
    const handler = implementation[key];
    if (!handler) continue; // grpc-js answers UNIMPLEMENTED
    const info = methodInfo(def.path, def.responseStream);
    out[key] = wrappers.reduceRight((h, wrap) => wrap(h, info), handler as unknown as AnyHandler) as unknown as UntypedHandleCall;
  }
  return out;
}

/** Ends a call with an error status, whatever its shape. */
export function failCall(call: AnyServerCall, callback: sendUnaryData<unknown> | undefined, err: Partial<StatusObject>): void {
  const error = Object.assign(new Error(err.details), err) as ServerErrorResponse;
  if (callback) callback(error, null);
  else call.emit("error", error);
}
