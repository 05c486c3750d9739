// The factcheck service: fact_checker, cross_reviewer, freshness_judge, arbiter.
import type { ServiceSpec } from "@newsroom/platform/service/spec";
import { factcheckHandlers } from "./handlers.js";

export const factcheck: ServiceSpec<"factcheck"> = {
  name: "factcheck",
  handlers: (deps) => factcheckHandlers(deps),
};
