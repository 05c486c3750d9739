// The editor's registrations: lineup, first drafts, revisions.
import { on, type Registration } from "@newsroom/platform/handler";
import type { EditorDeps } from "./deps.js";
import { onEditionIngested } from "./handlers/edition-ingested.js";
import { onLineupDecided } from "./handlers/lineup-decided.js";
import { onScriptReviewed } from "./handlers/script-reviewed.js";

export type { EditorDeps };

export function editorHandlers(deps: EditorDeps): Registration<any>[] {
  return [
    on("edition.ingested", "editor-edition-ingested", onEditionIngested(deps)),
    on("lineup.decided", "editor-lineup-decided", onLineupDecided(deps)),
    on("script.reviewed", "editor-script-reviewed", onScriptReviewed(deps)),
  ];
}
