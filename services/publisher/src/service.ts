// The publisher service: the producer assembles each edition when every story is in,
// and a deadline sweep ships overdue editions with what is ready.
import type { ServiceSpec } from "@newsroom/platform/service/spec";
import { publisherHandlers } from "./roles/producer.js";
import { startDeadlineSweeper } from "./sweeper.js";

export const publisher: ServiceSpec<"publisher"> = {
  name: "publisher",
  handlers: (deps) => publisherHandlers(deps),
  background: (deps) => startDeadlineSweeper({ ...deps, onCommitted: deps.nudgeOutbox }),
};
