// Entry point of the site service process: `newsroom serve site` runs the same.
import { runServiceProcess } from "@newsroom/platform/service/process";
import { site } from "./service.js";

await runServiceProcess([site]);
