// What the editor's handlers need: the process's config, the model router, a logger.
import type { ServiceDeps } from "@newsroom/platform/service/spec";

export type EditorDeps = Pick<ServiceDeps, "config" | "router" | "log">;
