// Entry point of the editor service process: `newsroom serve editor` runs the same.
// The steps every service follows (config, telemetry, connect, register, serve, shut down)
// are written once in platform/src/service/run.ts.
import { runServiceProcess } from "@newsroom/platform/service/process";
import { editor } from "./service.js";

await runServiceProcess([editor]);
