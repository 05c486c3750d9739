// What a service folder declares: the handlers it registers, the gRPC services it serves
// and any background loop. The plumbing that runs it is written once, in ./run.ts.
import type { LoadedConfig } from "../config/load.js";
import type { Db } from "../db/connect.js";
import type { Registration } from "../handler.js";
import type { Logger } from "../log.js";
import type { ServiceName } from "../newsroom.js";
import type { Router } from "../router/types.js";

export interface ServiceDeps {
  config: LoadedConfig;
  db: Db;
  log: Logger;
  /** The model router, created on first use (services that never call a model never open one). */
  router(): Router;
  /** Folder the publisher writes editions to. */
  outDir: string;
  /** Wakes the outbox relay after a commit outside a handler (gRPC RunEdition, the deadline sweeper). */
  nudgeOutbox(): void;
  /** The process environment, for a service's own settings (the site's SITE_PORT). */
  env: NodeJS.ProcessEnv;
  /**
   * The dependencies ("database", "NATS") away right now, as the dependency watch last saw them
   * (./dependencies.ts): what gRPC health answers NOT_SERVING on, and the site's /readyz.
   */
  away(): string[];
}

export interface GrpcBinding {
  // grpc-js service definition and implementation (generated types from proto/).
  definition: unknown;
  implementation: unknown;
}

export interface Background {
  stop(): Promise<void>;
  /** Where it listens when it serves HTTP (the site), e.g. http://127.0.0.1:8080; a port of 0 is resolved. */
  url?: string;
}

export interface ServiceSpec<S extends ServiceName = ServiceName> {
  /** The events it emits and consumes are declared under this name in platform/src/newsroom.ts. */
  name: S;
  handlers(deps: ServiceDeps): Registration<any>[];
  grpc?(deps: ServiceDeps): GrpcBinding[];
  /**
   * How orchestrators probe it: "grpc" (the default) is grpc.health.v1 on GRPC_PORT; "http" is the
   * service's own HTTP health endpoints (the site's /healthz and /readyz), and then no gRPC server is opened for it.
   */
  health?: "grpc" | "http";
  background?(deps: ServiceDeps): Background | Promise<Background>;
}
