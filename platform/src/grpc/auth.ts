// Bearer-token authentication for the gRPC API outside the embedded default (GRPC_AUTH_TOKEN).
import { createHash, timingSafeEqual } from "node:crypto";
import { InterceptingCall, status as Status, type Interceptor } from "@grpc/grpc-js";
import { failCall, type HandlerWrapper } from "./handlers.js";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Rejects calls without `authorization: Bearer <token>` with UNAUTHENTICATED before the handler runs. */
export function requireBearerToken(token: string): HandlerWrapper {
  const expected = digest(token);
  return (handler) => (call, callback) => {
    const header = call.metadata.get("authorization")[0]?.toString() ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    // Compare digests so the comparison takes the same time whatever the input's length.
    if (match && timingSafeEqual(digest(match[1]), expected)) return handler(call, callback);
    failCall(call, callback, {
      code: Status.UNAUTHENTICATED,
      details: header ? "the bearer token is not valid" : "missing `authorization: Bearer <token>` metadata (GRPC_AUTH_TOKEN)",
    });
  };
}

/** Client side: sends `authorization: Bearer <token>` with every call. */
export function bearerTokenInterceptor(token: string): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set("authorization", `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}
