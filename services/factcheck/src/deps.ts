// What the fact-check handlers need: the process's config, the model router, a logger.
import type { ServiceDeps } from "@newsroom/platform/service/spec";

export type FactcheckDeps = Pick<ServiceDeps, "config" | "router" | "log">;
