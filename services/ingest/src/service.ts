// The ingest service: scout and curator. On `edition.requested` it reads the feeds and stores
// the edition's candidate stories.
import type { ServiceSpec } from "@newsroom/platform/service/spec";
import { ingestHandlers } from "./handlers.js";

export const ingest: ServiceSpec = {
  name: "ingest",
  handlers: (deps) => ingestHandlers({ config: deps.config, log: deps.log.child("ingest") }),
};
