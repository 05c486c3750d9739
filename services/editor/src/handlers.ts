// The editor's registrations: lineup, first drafts, revisions.
import { consume, type Registration } from "@newsroom/platform/handler";
import type { EditorDeps } from "./deps.js";
import { onEditionIngested } from "./handlers/edition-ingested.js";
import { onLineupDecided } from "./handlers/lineup-decided.js";
import { onScriptReviewed } from "./handlers/script-reviewed.js";

export type { EditorDeps };

export function editorHandlers(deps: EditorDeps): Registration<any>[] {
  return [
    consume("editor", "edition.ingested", onEditionIngested(deps)),
    consume("editor", "lineup.decided", onLineupDecided(deps)),
    consume("editor", "script.reviewed", onScriptReviewed(deps)),
  ];
}
