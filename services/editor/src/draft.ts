// One story's script, first version or revision: writer per language part, translator where
// a part has no source in its language, headline_editor for the headline.
//
// RULE (which role writes which part): a part whose language has sources is written by the
// writer from the sources. A part without: in a bilingual edition it is the translation of the
// part already written; in a one-language edition the writer writes in the other newsroom
// language when the sources are in it (so the draft stays checkable against them) and the
// translator puts that into the edition's language; sources only in a third language are
// written straight into the edition's language. If the translator's chain fails, a one-language
// edition drops the story; a bilingual one keeps the part it has and says so in the notes.
import type { EditionConfig } from "@newsroom/platform/config/schema";
import type { ScriptLine } from "@newsroom/platform/db/schema";
import type { StoryMaterial } from "@newsroom/platform/editorial/material";
import type { EditionNote } from "@newsroom/platform/editorial/notes";
import { routerNotes } from "@newsroom/platform/editorial/notes";
import { partLanguages, partTargetWords, type PartLanguage } from "@newsroom/platform/editorial/settings";
import { sourceBrief } from "@newsroom/platform/editorial/sources";
import { frameHeadline, frameLines } from "@newsroom/platform/editorial/update-frame";
import { ChainExhaustedError, type CallContext, type Router, type TaskResult } from "@newsroom/platform/router/types";
import { itemKind } from "./lineup/item-kind.js";
import { runOrTemplate } from "./off-critical-path.js";
import { headlineTask } from "./roles/headline-editor.js";
import { translatorTask } from "./roles/translator.js";
import { writerTask, type Revision } from "./roles/writer.js";
import { formatScript, parseScript } from "./script-lines.js";
import type { ShowPlace } from "./show-place.js";

export interface DraftRequest {
  router: Router;
  settings: EditionConfig;
  material: StoryMaterial;
  ctx: CallContext;
  /** Per language, the on-air names of anchor A and B (the writer hands over by name). */
  anchorNames?: Partial<Record<PartLanguage, string[]>>;
  /** Where the story airs (the writer is told its date, place and neighbours). */
  place?: ShowPlace;
  /** Set when reviewers asked for a revision of these lines. */
  revision?: { lines: ScriptLine[]; reasons: string[]; avoid: string[] };
}

export interface Draft {
  lines: ScriptLine[];
  headline: string;
  /** Who wrote it (the writer's model); reviewers avoid this vendor. */
  author: Pick<TaskResult<string>, "provider" | "model" | "vendor" | "camp" | "completion" | "offline">;
  notes: EditionNote[];
}

type Written = { lang: PartLanguage; text: string; result: TaskResult<string> };

export async function draftScript(req: DraftRequest): Promise<Draft> {
  const { router, settings, material, ctx } = req;
  const sources = material.sources.map(sourceBrief);
  const langs = partLanguages(settings.language);
  const bilingual = langs.length > 1;
  const target = partTargetWords(settings);
  const anchors = settings.anchors;
  const notes: EditionNote[] = [];
  const commentary = itemKind(material.story) === "commentary";
  const revisionFor = (lang: PartLanguage): Revision | undefined =>
    req.revision && {
      previous: formatScript(req.revision.lines.filter((l) => !bilingual || l.lang === lang), anchors),
      reasons: req.revision.reasons,
      avoid: req.revision.avoid,
    };
  let writer: TaskResult<string> | undefined;
  const write = async (lang: PartLanguage): Promise<Written> => {
    const result = await router.run(writerTask, { language: lang, targetWords: target, anchors, title: material.story.title, sources, revision: revisionFor(lang), place: req.place, anchorNames: req.anchorNames?.[lang], update: material.story.update_of ?? undefined, commentary }, ctx);
    notes.push(...routerNotes("writer", result));
    writer ??= result;
    return { lang, text: result.output, result };
  };
  const translate = async (from: Written, to: PartLanguage): Promise<Written> => {
    const result = await router.run(translatorTask, { from: from.lang, to, anchors, targetWords: target, text: from.text, sources, avoid: req.revision?.avoid }, ctx);
    notes.push(...routerNotes("translator", result));
    return { lang: to, text: result.output, result };
  };

  const has = (lang: string) => sources.some((s) => s.language === lang);
  const parts: Written[] = [];
  for (const lang of langs.filter(has)) parts.push(await write(lang));
  for (const lang of langs.filter((l) => !has(l))) {
    const base = parts[0] ?? (has(otherLanguage(lang)) ? await write(otherLanguage(lang)) : undefined);
    if (!base) {
      parts.push(await write(lang)); // third-language sources only: written straight into the edition's language
      continue;
    }
    try {
      parts.push(await translate(base, lang));
    } catch (err) {
      if (!(err instanceof ChainExhaustedError) || !bilingual) throw err;
      notes.push({ kind: "part_left_out", story_id: material.story.id, message: `"${material.story.title}": no ${lang} part (the translator could not be reached: ${err.message.slice(0, 160)})` });
    }
  }
  const spoken = parts.sort((a, b) => langs.indexOf(a.lang) - langs.indexOf(b.lang));
  const lines = spoken.flatMap((p) => parseScript(p.text, anchors, bilingual ? p.lang : undefined));
  const headline = await writeHeadline(router, spoken, material, ctx, notes);
  const w = writer!; // every path above ran the writer at least once
  // A story the show aired before is framed as an update by code, whatever the writer wrote.
  const update = material.story.update_of;
  return {
    lines: update ? frameLines(lines, langs[0], update) : lines,
    headline: update ? frameHeadline(headline) : headline,
    author: { provider: w.provider, model: w.model, vendor: w.vendor, camp: w.camp, completion: worstCompletion(spoken.map((p) => p.result.completion)), offline: w.offline },
    notes,
  };
}

function otherLanguage(lang: PartLanguage): PartLanguage {
  return lang === "zh" ? "en" : "zh";
}

/** One headline per part, joined; the source title when the headline editor cannot be reached. */
async function writeHeadline(router: Router, parts: Written[], material: StoryMaterial, ctx: CallContext, notes: EditionNote[]): Promise<string> {
  const out: string[] = [];
  for (const p of parts) {
    const r = await runOrTemplate(router, headlineTask, { language: p.lang, title: titleIn(material, p.lang), script: p.text }, ctx, notes, `the headline of "${material.story.title}"`);
    out.push(r.output.headline.trim());
  }
  return [...new Set(out)].join(" | ");
}

/** The newest source title in the part's language (the story's own title may be in another). */
function titleIn(material: StoryMaterial, lang: PartLanguage): string {
  const own = material.sources.map(sourceBrief).filter((s) => s.language === lang);
  return own.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))[0]?.title ?? material.story.title;
}

function worstCompletion(all: TaskResult<string>["completion"][]): TaskResult<string>["completion"] {
  return all.includes("fell_back") ? "fell_back" : all.includes("continued") ? "continued" : "whole";
}
