// One gRPC server per process: the given services (traced, token-checked when GRPC_AUTH_TOKEN is
// set), the standard grpc.health.v1.Health service, and a graceful shutdown with a bound.
import { Server, type ServiceDefinition, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { HealthImplementation, type ServingStatus } from "grpc-health-check";
import type { Logger } from "../log.js";
import { traceServerHandler } from "../telemetry/grpc.js";
import { requireBearerToken } from "./auth.js";
import { serverCredentials } from "./credentials.js";
import { serviceName, wrapImplementation, type HandlerWrapper } from "./handlers.js";

export interface GrpcService {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  /** 0 picks a free port; the real one is returned. */
  port: number;
  host?: string;
  services: GrpcService[];
  log?: Logger;
  /** Where GRPC_TLS_CERT / GRPC_TLS_KEY / GRPC_AUTH_TOKEN are read from. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningGrpcServer {
  port: number;
  /** Health status of "" (the whole server) and of every service. */
  setServing(serving: boolean): void;
  /** NOT_SERVING, then let calls finish for up to `timeoutMs`, then cut the rest. */
  shutdown(timeoutMs?: number): Promise<void>;
}

export async function startGrpcServer(opts: GrpcServerOptions): Promise<RunningGrpcServer> {
  const env = opts.env ?? process.env;
  const host = opts.host ?? "0.0.0.0";
  const { creds, tls } = serverCredentials(env);
  const token = env.GRPC_AUTH_TOKEN;
  // Tracing outermost, so a refused call still shows up as a span.
  const wrappers: HandlerWrapper[] = [traceServerHandler, ...(token ? [requireBearerToken(token)] : [])];

  const server = new Server();
  const names = opts.services.map((s) => serviceName(s.definition));
  for (const s of opts.services) server.addService(s.definition, wrapImplementation(s.definition, s.implementation, wrappers));

  // The health service is not wrapped: probes carry no token.
  const health = new HealthImplementation();
  const setServing = (serving: boolean) => {
    const status: ServingStatus = serving ? "SERVING" : "NOT_SERVING";
    for (const name of ["", ...names]) health.setStatus(name, status);
  };
  health.addToServer(server);

  const address = host.includes(":") && !host.startsWith("[") ? `[${host}]:${opts.port}` : `${host}:${opts.port}`;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, creds, (err, bound) => (err ? reject(new Error(`gRPC cannot listen on ${address}: ${err.message}`)) : resolve(bound))),
  );
  setServing(true);
  opts.log?.info(`gRPC listening on ${host}:${port}`, { services: names, tls, auth: token ? "bearer token" : "none" });

  let stopping: Promise<void> | undefined;
  return {
    port,
    setServing,
    shutdown(timeoutMs = 10_000) {
      stopping ??= new Promise<void>((resolve) => {
        setServing(false);
        const force = setTimeout(() => {
          opts.log?.warn(`gRPC calls still running after ${timeoutMs} ms; closing them`);
          server.forceShutdown();
          resolve();
        }, timeoutMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      return stopping;
    },
  };
}
