// The fact-check service's registration: every drafted story script is reviewed, and every
// listener report goes to the corrections desk.
import { consume, type Registration } from "@newsroom/platform/handler";
import type { FactcheckDeps } from "./deps.js";
import { onScriptDrafted } from "./handlers/script-drafted.js";
import { onReportFiled } from "./handlers/report-filed.js";

export type { FactcheckDeps };

export function factcheckHandlers(deps: FactcheckDeps): Registration<any>[] {
  return [consume("factcheck", "script.drafted", onScriptDrafted(deps)), consume("factcheck", "report.filed", onReportFiled(deps))];
}
