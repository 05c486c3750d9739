// Entry point of the ingest service process: `newsroom serve ingest` runs the same.
// The steps every service follows (config, telemetry, connect, register, serve, shut down)
// are written once in platform/src/service/run.ts.
import { runServiceProcess } from "@newsroom/platform/service/process";
import { ingest } from "./service.js";

await runServiceProcess([ingest]);
