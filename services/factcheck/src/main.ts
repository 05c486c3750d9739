// Entry point of the factcheck service process: `newsroom serve factcheck` runs the same.
// The steps every service follows (config, telemetry, connect, register, serve, shut down)
// are written once in platform/src/service/run.ts.
import { runServiceProcess } from "@newsroom/platform/service/process";
import { factcheck } from "./service.js";

await runServiceProcess([factcheck]);
