// What every gRPC client of the newsroom passes: credentials plus trace and token interceptors.
import type { ChannelCredentials, ClientOptions, Interceptor } from "@grpc/grpc-js";
import { traceClientInterceptor } from "../telemetry/grpc.js";
import { bearerTokenInterceptor } from "./auth.js";
import { grpcCredentials } from "./credentials.js";

export { grpcCredentials } from "./credentials.js";

/** Trace context always; the bearer token when GRPC_AUTH_TOKEN is set. */
export function clientInterceptors(env: NodeJS.ProcessEnv = process.env): Interceptor[] {
  const interceptors = [traceClientInterceptor()];
  if (env.GRPC_AUTH_TOKEN) interceptors.push(bearerTokenInterceptor(env.GRPC_AUTH_TOKEN));
  return interceptors;
}

/** Arguments for a generated client's constructor: `new XClient(address, ...grpcClientArgs(env))`. */
export function grpcClientArgs(env: NodeJS.ProcessEnv = process.env): [ChannelCredentials, Partial<ClientOptions>] {
  return [grpcCredentials(env), { interceptors: clientInterceptors(env) }];
}
