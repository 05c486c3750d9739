// Entry point of the publisher service process: `newsroom serve publisher` runs the same.
// The steps every service follows (config, telemetry, connect, register, serve, shut down)
// are written once in platform/src/service/run.ts.
import { runServiceProcess } from "@newsroom/platform/service/process";
import { publisher } from "./service.js";

await runServiceProcess([publisher]);
