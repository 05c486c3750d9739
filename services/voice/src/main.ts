// Entry point of the voice service process: `newsroom serve voice` runs the same.
// The steps every service follows (config, telemetry, connect, register, serve, shut down)
// are written once in platform/src/service/run.ts.
import { runServiceProcess } from "@newsroom/platform/service/process";
import { voice } from "./service.js";

await runServiceProcess([voice]);
