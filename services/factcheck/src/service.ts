// The factcheck service: fact_checker, cross_reviewer, freshness_judge, arbiter.
import type { ServiceSpec } from "@newsroom/platform/service/spec";
import { factcheckHandlers } from "./handlers.js";

export const factcheck: ServiceSpec = {
  name: "factcheck",
  emits: ["script.reviewed", "script.approved", "story.dropped"],
  handlers: (deps) => factcheckHandlers(deps),
};
