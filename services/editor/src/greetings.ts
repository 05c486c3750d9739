// The edition's intro and outro: headline_editor greetings in each language part. They carry
// no claims (no stories are named), so they skip fact-check and are approved as written. The
// headline editor is off the critical path: when its chain fails the template greeting is used.
import type { Edition, NewScript, ScriptLine } from "@newsroom/platform/db/schema";
import type { EditionConfig, NewsroomConfig } from "@newsroom/platform/config/schema";
import { anchorNames } from "@newsroom/platform/editorial/anchors";
import type { EditionNote } from "@newsroom/platform/editorial/notes";
import { partLanguages } from "@newsroom/platform/editorial/settings";
import type { CallContext, Router, TaskResult } from "@newsroom/platform/router/types";
import { runOrTemplate } from "./off-critical-path.js";
import { greetingTask } from "./roles/headline-editor.js";
import { parseScript } from "./script-lines.js";

export function greetingScriptId(editionId: string, kind: "intro" | "outro"): string {
  return `${editionId}.${kind}.v1`;
}

export async function writeGreeting(
  router: Router,
  edition: Edition,
  settings: EditionConfig,
  config: Pick<NewsroomConfig, "anchors" | "podcast">,
  kind: "intro" | "outro",
  ctx: CallContext,
  notes: EditionNote[],
): Promise<NewScript> {
  const showTitle = config.podcast.title;
  const langs = partLanguages(settings.language);
  const lines: ScriptLine[] = [];
  let first: TaskResult<string> | undefined;
  for (const lang of langs) {
    const names = Object.values(anchorNames(config, settings.anchors, lang));
    const input = { kind, language: lang, slot: edition.slot, now: new Date(edition.now).toISOString(), timeZone: settings.timezone, showTitle, anchors: settings.anchors, names };
    const r = await runOrTemplate(router, greetingTask, input, ctx, notes, `the ${lang} ${kind}`);
    first ??= r;
    lines.push(...parseScript(r.output, settings.anchors, langs.length > 1 ? lang : undefined));
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
