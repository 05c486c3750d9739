// The edition's intro and outro: headline_editor greetings in each language part. They carry
// no claims (no stories are named), so they skip fact-check and are approved as written.
import type { Edition, NewScript, ScriptLine } from "@newsroom/platform/db/schema";
import type { EditionConfig } from "@newsroom/platform/config/schema";
import type { EditionNote } from "@newsroom/platform/editorial/notes";
import { routerNotes } from "@newsroom/platform/editorial/notes";
import { partLanguages } from "@newsroom/platform/editorial/settings";
import { ChainExhaustedError, type CallContext, type Router, type TaskResult } from "@newsroom/platform/router/types";
import { greetingTask } from "./roles/headline-editor.js";
import { parseScript } from "./script-lines.js";

export function greetingScriptId(editionId: string, kind: "intro" | "outro"): string {
  return `${editionId}.${kind}.v1`;
}

export async function writeGreeting(
  router: Router,
  edition: Edition,
  settings: EditionConfig,
  showTitle: string,
  kind: "intro" | "outro",
  ctx: CallContext,
  notes: EditionNote[],
): Promise<NewScript | null> {
  const langs = partLanguages(settings.language);
  const lines: ScriptLine[] = [];
  let first: TaskResult<string> | undefined;
  try {
    for (const lang of langs) {
      const r = await router.run(
        greetingTask,
        { kind, language: lang, slot: edition.slot, now: new Date(edition.now).toISOString(), timeZone: settings.timezone, showTitle, anchors: settings.anchors },
        ctx,
      );
      notes.push(...routerNotes("headline_editor", r));
      first ??= r;
      lines.push(...parseScript(r.output, settings.anchors, langs.length > 1 ? lang : undefined));
    }
  } catch (err) {
    if (!(err instanceof ChainExhaustedError)) throw err;
    notes.push({ kind: `${kind}_left_out`, message: `No ${kind}: the headline editor could not be reached (${err.message.slice(0, 160)})` });
    return null;
  }
  return {
    id: greetingScriptId(edition.id, kind),
    edition_id: edition.id,
    story_id: null,
    kind,
    version: 1,
    language: settings.language,
    headline: null,
    lines: JSON.stringify(lines),
    provider: first!.provider,
    model: first!.model,
    camp: first!.camp,
    completion: first!.completion,
  };
}
