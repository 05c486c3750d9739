// The ingest service: scout and curator. On `edition.requested` it reads the feeds and stores
// the edition's candidate stories. It is also the newsroom's front door: the Newsroom gRPC API
// (run, get, list and watch editions) and the schedule that starts each slot's edition.
import type { ServiceSpec } from "@newsroom/platform/service/spec";
import { NewsroomServiceService } from "@newsroom/proto/newsroom";
import { startEditionSchedule } from "./editions/schedule.js";
import { newsroomServiceImpl } from "./grpc.js";
import { ingestHandlers } from "./handlers.js";

export const ingest: ServiceSpec<"ingest"> = {
  name: "ingest",
  handlers: (deps) => ingestHandlers({ config: deps.config, log: deps.log.child("ingest") }),
  grpc: (deps) => [
    {
      definition: NewsroomServiceService,
      implementation: newsroomServiceImpl({ db: deps.db, config: deps.config, onCommitted: deps.nudgeOutbox, log: deps.log.child("api") }),
    },
  ],
  background: (deps) => startEditionSchedule({ db: deps.db, config: deps.config, onCommitted: deps.nudgeOutbox, log: deps.log.child("schedule") }),
};
