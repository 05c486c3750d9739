// The show pass: once every story of the lineup is approved or dropped, the producer frames the
// stories as a show. The intro gets the rundown (the headlines to come, in air order), each
// approved story a short spoken transition, and the outro a closing recap.
//
// Who writes it: when a model is configured for the headline editor, it writes the copy before
// the commit (writeShowCopy: no model call inside a transaction), and the copy is used only if
// it passes the truncation, injection, language and grounding gates against the approved
// scripts (show-gates.ts). Otherwise, and offline, the copy is built from the approved stories'
// headlines with templates (show-copy.ts); each headline passes the deterministic checks first
// (no link, instruction or promotion; in its part's language; every figure in the approved
// script) or is left unnamed. Either way it names no fact the approved scripts lack, and the
// pass itself runs inside the commit that settles the last story (deterministic and fast).
import type { Transaction } from "kysely";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import type { EditionConfig } from "@newsroom/platform/config/schema";
import type { Db } from "@newsroom/platform/db/connect";
import type { Database, Edition, NewScript, Script, ScriptLine, Story } from "@newsroom/platform/db/schema";
import { showAnchors, type Anchor } from "@newsroom/platform/editorial/anchors";
import { appendNotes, type EditionNote } from "@newsroom/platform/editorial/notes";
import { editionSettings, partLanguages, type PartLanguage } from "@newsroom/platform/editorial/settings";
import { airTimeOf } from "@newsroom/platform/editorial/wording";
import { ScriptKind } from "@newsroom/platform/events";
import type { Emit } from "@newsroom/platform/handler";
import type { CallContext, Router } from "@newsroom/platform/router/types";
import { findHostile } from "@newsroom/platform/text/hostile";
import { detectLanguage } from "@newsroom/platform/text/language";
import { greetingScriptId } from "./greetings.js";
import { correctionScriptLines, correctionsForIntro } from "./corrections.js";
import { itemKind } from "./lineup/item-kind.js";
import { runOrTemplate } from "./off-critical-path.js";
import { showCopyTask, spokenDate, type ShowCopy, type ShowCopyInput } from "./roles/headline-editor.js";
import { recapLine, rundownLine, transitionHeadline, transitionLine } from "./show-copy.js";
import { showCopyProblems } from "./show-gates.js";

const SETTLED: Story["status"][] = ["approved", "voiced", "dropped"];

/** The show pass's transition into a story (the producer finds it by this id). */
export function transitionScriptId(storyId: string): string {
  return `${storyId}.transition`;
}

export function framedScriptId(editionId: string, kind: "intro" | "outro"): string {
  return `${editionId}.${kind}.show`;
}

/** Who wrote the show copy: the headline editor's model, or the templates. */
type CopyAuthor = Pick<NewScript, "provider" | "model" | "camp" | "completion">;
const TEMPLATE_AUTHOR: CopyAuthor = { provider: "template", model: "show_pass", camp: "local", completion: "whole" };

/** A model's show copy, written before the commit for the stories that were aired then. */
export interface WrittenShowCopy {
  /** The aired stories the copy was written for, in air order. */
  storyIds: string[];
  parts: Partial<Record<PartLanguage, ShowCopy>>;
  author: CopyAuthor;
  notes: EditionNote[];
}

/** A settled edition, as the show pass reads it. */
interface SettledShow {
  edition: Edition;
  settings: EditionConfig;
  showTitle: string;
  langs: PartLanguage[];
  lead: Anchor;
  coHost?: Anchor;
  /** The approved stories in air order, each with its latest (approved) script. */
  aired: { story: Story; script: Script | undefined; commentary: boolean }[];
}

/**
 * Runs the show pass when the edition's lineup is settled and the pass has not run yet; returns
 * whether it ran. Locks the edition row first, so of two last stories settling at once the second
 * commit sees the first and runs the pass. `written` is a model's copy (writeShowCopy), used when
 * it was written for the stories that air.
 */
export async function showPassIfSettled(tx: Transaction<Database>, emit: Emit, config: LoadedConfig, editionId: string, written?: WrittenShowCopy): Promise<boolean> {
  const show = await settledShow(tx, config, editionId, true);
  if (!show) return false;
  const fits = !!written && sameStories(written.storyIds, show);
  const copyIn = (lang: PartLanguage) => (fits ? written!.parts[lang] : undefined) ?? templateCopy(show, lang);
  const greetings = await tx
    .selectFrom("scripts")
    .selectAll()
    .where("id", "in", [greetingScriptId(editionId, "intro"), greetingScriptId(editionId, "outro")])
    .execute();
  // Upheld listener reports are corrected right after the greeting, before the rundown.
  const corrections = await correctionsForIntro(tx, show.edition, show.langs);
  const { intro, outro, transitions } = framedScripts(show, greetings, copyIn, fits ? written!.author : TEMPLATE_AUTHOR, corrections);
  for (const s of [intro, outro, ...transitions]) await tx.insertInto("scripts").values(s).onConflict((oc) => oc.doNothing()).execute();
  await tx.updateTable("editions").set({ intro_script_id: intro.id, outro_script_id: outro.id }).where("id", "=", editionId).execute();
  if (fits) await appendNotes(tx, editionId, written!.notes);
  const kinds = { intro: ScriptKind.SCRIPT_KIND_INTRO, outro: ScriptKind.SCRIPT_KIND_OUTRO, transition: ScriptKind.SCRIPT_KIND_TRANSITION } as const;
  for (const s of [intro, ...transitions, outro])
    await emit("script.approved", { scriptId: s.id, version: s.version, kind: kinds[s.kind as keyof typeof kinds] }, { editionId, key: `approved:${s.id}` });
  return true;
}

/**
 * The headline editor's show copy, before the commit that runs the pass: undefined when the
 * lineup is not settled yet, nothing airs, or no model is configured (offline stays templates).
 * A part whose model copy fails a gate, or whose chain fails, gets the template copy and a note.
 */
export async function writeShowCopy(
  db: Db,
  router: Router,
  config: LoadedConfig,
  editionId: string,
  call: Pick<CallContext, "working">,
  /** A story the coming commit drops (the copy is written as if it were dropped already). */
  dropping?: string,
): Promise<WrittenShowCopy | undefined> {
  if (!config.chains.headline_editor.some((c) => c.config.kind !== "offline")) return undefined;
  const show = await settledShow(db, config, editionId, false, dropping);
  if (!show?.aired.length) return undefined;
  const ctx: CallContext = { ...call, editionId, airTime: airTimeOf(show.edition, show.settings) };
  const notes: EditionNote[] = [];
  const parts: WrittenShowCopy["parts"] = {};
  let author = TEMPLATE_AUTHOR;
  for (const lang of show.langs) {
    const input = showCopyInput(show, lang);
    const what = `the ${lang} rundown, transitions and recap`;
    const r = await runOrTemplate(router, showCopyTask, input, ctx, notes, what);
    if (r.offline) {
      // The chain fell through to the offline provider (a whole-chain failure is noted by runOrTemplate).
      if (r.provider !== "template")
        notes.push({ kind: "template_fallback", role: "headline_editor", message: `${what}: no headline_editor model answered, so the template version is used` });
      continue;
    }
    const problems = showCopyProblems(r.output, lang, show.aired.length, onAirTexts(show, input));
    if (problems.length) {
      const why = problems.map((p) => `${p.gate}: ${p.detail}`).join("; ");
      notes.push({ kind: "template_fallback", role: "headline_editor", message: `${what} by ${r.provider}/${r.model} failed the gates (${why.slice(0, 300)}), so the template version is used` });
      continue;
    }
    parts[lang] = r.output;
    if (author === TEMPLATE_AUTHOR) author = { provider: r.provider, model: r.model, camp: r.camp, completion: r.completion };
  }
  return { storyIds: show.aired.map((a) => a.story.id), parts, author, notes };
}

/** The edition, if its lineup is settled and the pass has not run yet. `lock` takes the edition row (inside the commit). */
async function settledShow(db: Db | Transaction<Database>, config: LoadedConfig, editionId: string, lock: boolean, dropping?: string): Promise<SettledShow | null> {
  const query = db.selectFrom("editions").selectAll().where("id", "=", editionId);
  const edition = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!edition || edition.lineup_size === null || edition.intro_script_id !== null) return null;
  const rows = await db.selectFrom("stories").selectAll().where("edition_id", "=", editionId).where("rank", "is not", null).orderBy("rank").execute();
  const lineup = rows.map((s): Story => (s.id === dropping ? { ...s, status: "dropped" } : s));
  if (lineup.length < edition.lineup_size || lineup.some((s) => !SETTLED.includes(s.status))) return null;

  const settings = editionSettings(edition, config.edition);
  const [lead, coHost] = showAnchors(config, settings.anchors, settings.language);
  const stories = lineup.filter((s) => s.status !== "dropped");
  const scripts = stories.length
    ? await db.selectFrom("scripts").selectAll().where("story_id", "in", stories.map((s) => s.id)).where("kind", "=", "story").execute()
    : [];
  const latest = (storyId: string) => scripts.filter((s) => s.story_id === storyId).sort((a, b) => b.version - a.version)[0];
  const aired = stories.map((story) => ({ story, script: latest(story.id), commentary: itemKind(story) === "commentary" }));
  return { edition, settings, showTitle: config.podcast.title, langs: partLanguages(settings.language), lead, coHost, aired };
}

function sameStories(ids: string[], show: SettledShow): boolean {
  return ids.join("\n") === show.aired.map((a) => a.story.id).join("\n");
}

/** The template copy of one language part, from the stories' speakable headlines. */
function templateCopy(show: SettledShow, lang: PartLanguage): ShowCopy {
  const partIndex = show.langs.indexOf(lang);
  const headlines = show.aired.map((a) => speakableHeadline(a.story, a.script, lang, partIndex));
  const labelled = headlines.map((h, i) => (h && show.aired[i].commentary ? commentaryLabel(lang, h) : h));
  const n = show.aired.length;
  return {
    rundown: rundownLine(lang, labelled) ?? "",
    transitions: show.aired.map((a, i) => transitionLine(lang, i, n, transitionHeadline(headlines[i], spokenIn(a.script, lang, show.langs.length > 1)), a.commentary)),
    recap: recapLine(lang, labelled) ?? "",
  };
}

/** A commentary named in the rundown or recap: "a commentary: X" / "评论：X". */
function commentaryLabel(lang: PartLanguage, headline: string): string {
  return lang === "zh" ? `评论：${headline}` : `a commentary: ${headline}`;
}

/** The intro (greeting + rundown), the outro (recap + goodbye) and one transition per aired story. */
function framedScripts(show: SettledShow, greetings: Script[], copyIn: (lang: PartLanguage) => ShowCopy, author: CopyAuthor, corrections: Map<PartLanguage, string[]>) {
  const editionId = show.edition.id;
  const bilingual = show.langs.length > 1;
  const greeting = (kind: "intro" | "outro") => greetings.find((g) => g.kind === kind);
  const line = (speaker: ScriptLine["speaker"], lang: PartLanguage, text: string | undefined): ScriptLine[] =>
    text?.trim() ? [{ speaker, text: text.trim(), ...(bilingual ? { lang } : {}) }] : [];
  const partLines = (g: Script | undefined, lang: PartLanguage) => ((g?.lines ?? []) as ScriptLine[]).filter((l) => !bilingual || l.lang === lang);
  const { lead, coHost } = show;

  const framed = (kind: "intro" | "outro", lines: ScriptLine[]): NewScript => {
    const g = greeting(kind);
    return {
      id: framedScriptId(editionId, kind),
      edition_id: editionId,
      story_id: null,
      kind,
      version: 2,
      language: show.settings.language,
      headline: null,
      lines: JSON.stringify(lines),
      provider: g?.provider ?? "template",
      model: g?.model ?? "show_pass",
      camp: g?.camp ?? "local",
      completion: g?.completion ?? "fell_back",
    };
  };
  const intro = framed(
    "intro",
    show.langs.flatMap((lang) => [
      ...partLines(greeting("intro"), lang),
      ...correctionScriptLines(corrections, lang, lead.persona, bilingual),
      ...line(lead.persona, lang, copyIn(lang).rundown),
    ]),
  );
  const outro = framed("outro", show.langs.flatMap((lang) => [...line((coHost ?? lead).persona, lang, copyIn(lang).recap), ...partLines(greeting("outro"), lang)]));
  const transitions: NewScript[] = show.aired.map(({ story }, i) => ({
    id: transitionScriptId(story.id),
    edition_id: editionId,
    // Not the story's own script: story_id stays null so queries for a story's versions never see it.
    story_id: null,
    kind: "transition",
    version: 1,
    language: show.settings.language,
    headline: null,
    lines: JSON.stringify(show.langs.flatMap((lang) => line(lead.persona, lang, copyIn(lang).transitions[i]))),
    ...author,
  }));
  return { intro, outro, transitions };
}

/** What the headline editor is given for one language part: the stories in air order, and the template copy. */
function showCopyInput(show: SettledShow, lang: PartLanguage): ShowCopyInput {
  const partIndex = show.langs.indexOf(lang);
  return {
    language: lang,
    slot: show.edition.slot,
    now: new Date(show.edition.now).toISOString(),
    timeZone: show.settings.timezone,
    stories: show.aired.map(({ story, script, commentary }) => ({
      headline: partOf(story.headline ?? story.title, partIndex),
      script: spokenIn(script, lang, show.langs.length > 1),
      commentary,
    })),
    names: [show.lead.name, ...(show.coHost ? [show.coHost.name] : [])],
    template: templateCopy(show, lang),
  };
}

/** What may be named on air: the approved scripts, the anchors' names, the show's title and the air date. */
function onAirTexts(show: SettledShow, input: ShowCopyInput): string[] {
  return [...input.stories.map((s) => s.script), ...input.names, show.showTitle, spokenDate(input)];
}

function partOf(headline: string, partIndex: number): string {
  const all = headline.split(" | ");
  return (all[partIndex] ?? all[0]).trim();
}

function spokenIn(script: Script | undefined, lang: PartLanguage, bilingual: boolean): string {
  return ((script?.lines ?? []) as ScriptLine[])
    .filter((l) => !bilingual || l.lang === lang)
    .map((l) => l.text)
    .join("\n");
}

/** The story's headline in one language part, if it may be said on air. */
function speakableHeadline(story: Story, script: Script | undefined, lang: PartLanguage, partIndex: number): string | undefined {
  const headline = partOf(story.headline ?? story.title, partIndex).replace(/[\s.。!！?？…]+$/u, "").trim();
  if (!headline || findHostile(headline, lang).length) return undefined;
  const read = detectLanguage(headline);
  if (lang === "zh" ? read !== "zh" : read === "zh") return undefined;
  // Grounding: a figure in the headline must be one the approved script says.
  const spoken = ((script?.lines ?? []) as ScriptLine[]).map((l) => l.text).join(" ");
  const figures = headline.match(/\d+(?:[.,]\d+)*/g) ?? [];
  if (figures.some((f) => !spoken.includes(f))) return undefined;
  return headline;
}
