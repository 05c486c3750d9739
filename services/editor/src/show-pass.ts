// The show pass: once every story of the lineup is approved or dropped, the producer frames the
// stories as a show. The intro gets the rundown (the headlines to come, in air order), each
// approved story a short spoken transition, and the outro a closing recap. It is built from the
// approved stories' headlines with templates, so it can name no fact the approved scripts do not
// carry, and it runs inside the commit that settles the last story (deterministic and fast: no
// model call inside a transaction). Each headline passes the deterministic checks first (no
// link, instruction or promotion; in its part's language; every figure in the approved script)
// or is left unnamed.
import type { Transaction } from "kysely";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import type { Database, NewScript, Script, ScriptLine, Story } from "@newsroom/platform/db/schema";
import { showAnchors } from "@newsroom/platform/editorial/anchors";
import { editionSettings, partLanguages, type PartLanguage } from "@newsroom/platform/editorial/settings";
import { ScriptKind } from "@newsroom/platform/events";
import type { Emit } from "@newsroom/platform/handler";
import { findHostile } from "@newsroom/platform/text/hostile";
import { detectLanguage } from "@newsroom/platform/text/language";
import { greetingScriptId } from "./greetings.js";
import { correctionScriptLines, correctionsForIntro } from "./corrections.js";
import { recapLine, rundownLine, transitionLine } from "./show-copy.js";

const SETTLED: Story["status"][] = ["approved", "voiced", "dropped"];

/** The show pass's transition into a story (the producer finds it by this id). */
export function transitionScriptId(storyId: string): string {
  return `${storyId}.transition`;
}

export function framedScriptId(editionId: string, kind: "intro" | "outro"): string {
  return `${editionId}.${kind}.show`;
}

/**
 * Runs the show pass when the edition's lineup is settled and the pass has not run yet; returns
 * whether it ran. Locks the edition row first, so of two last stories settling at once the second
 * commit sees the first and runs the pass.
 */
export async function showPassIfSettled(tx: Transaction<Database>, emit: Emit, config: LoadedConfig, editionId: string): Promise<boolean> {
  const edition = await tx.selectFrom("editions").selectAll().where("id", "=", editionId).forUpdate().executeTakeFirst();
  if (!edition || edition.lineup_size === null || edition.intro_script_id !== null) return false;
  const lineup = await tx.selectFrom("stories").selectAll().where("edition_id", "=", editionId).where("rank", "is not", null).orderBy("rank").execute();
  if (lineup.length < edition.lineup_size || lineup.some((s) => !SETTLED.includes(s.status))) return false;

  const settings = editionSettings(edition, config.edition);
  const langs = partLanguages(settings.language);
  const bilingual = langs.length > 1;
  const [lead, coHost] = showAnchors(config, settings.anchors, settings.language);
  const aired = lineup.filter((s) => s.status !== "dropped");
  const scripts = aired.length
    ? await tx.selectFrom("scripts").selectAll().where("story_id", "in", aired.map((s) => s.id)).where("kind", "=", "story").execute()
    : [];
  const latest = (storyId: string) => scripts.filter((s) => s.story_id === storyId).sort((a, b) => b.version - a.version)[0];
  // Per language part: each aired story's speakable headline (undefined when it failed a check).
  const headlines = new Map(langs.map((lang, li) => [lang, aired.map((s) => speakableHeadline(s, latest(s.id), lang, li))]));

  const greetings = await tx
    .selectFrom("scripts")
    .selectAll()
    .where("id", "in", [greetingScriptId(editionId, "intro"), greetingScriptId(editionId, "outro")])
    .execute();
  const greeting = (kind: "intro" | "outro") => greetings.find((g) => g.kind === kind);
  const tag = (lang: PartLanguage) => (bilingual ? { lang } : {});
  const line = (speaker: ScriptLine["speaker"], lang: PartLanguage, text: string | undefined): ScriptLine[] => (text ? [{ speaker, text, ...tag(lang) }] : []);
  const partLines = (g: Script | undefined, lang: PartLanguage) => ((g?.lines ?? []) as ScriptLine[]).filter((l) => !bilingual || l.lang === lang);

  const corrections = await correctionsForIntro(tx, edition, langs);
  const introLines = langs.flatMap((lang) => [
    ...partLines(greeting("intro"), lang),
    ...correctionScriptLines(corrections, lang, lead.persona, bilingual),
    ...line(lead.persona, lang, rundownLine(lang, headlines.get(lang)!)),
  ]);
  const outroLines = langs.flatMap((lang) => [...line((coHost ?? lead).persona, lang, recapLine(lang, headlines.get(lang)!)), ...partLines(greeting("outro"), lang)]);
  const framed = (kind: "intro" | "outro", lines: ScriptLine[]): NewScript => {
    const g = greeting(kind);
    return {
      id: framedScriptId(editionId, kind),
      edition_id: editionId,
      story_id: null,
      kind,
      version: 2,
      language: settings.language,
      headline: null,
      lines: JSON.stringify(lines),
      provider: g?.provider ?? "template",
      model: g?.model ?? "show_pass",
      camp: g?.camp ?? "local",
      completion: g?.completion ?? "fell_back",
    };
  };
  const transitions: NewScript[] = aired.map((story, i) => ({
    id: transitionScriptId(story.id),
    edition_id: editionId,
    // Not the story's own script: story_id stays null so queries for a story's versions never see it.
    story_id: null,
    kind: "transition",
    version: 1,
    language: settings.language,
    headline: null,
    lines: JSON.stringify(langs.flatMap((lang) => line(lead.persona, lang, transitionLine(lang, i, aired.length, headlines.get(lang)![i])))),
    provider: "template",
    model: "show_pass",
    camp: "local",
    completion: "whole",
  }));

  const intro = framed("intro", introLines);
  const outro = framed("outro", outroLines);
  for (const s of [intro, outro, ...transitions]) await tx.insertInto("scripts").values(s).onConflict((oc) => oc.doNothing()).execute();
  await tx.updateTable("editions").set({ intro_script_id: intro.id, outro_script_id: outro.id }).where("id", "=", editionId).execute();
  const kinds = { intro: ScriptKind.SCRIPT_KIND_INTRO, outro: ScriptKind.SCRIPT_KIND_OUTRO, transition: ScriptKind.SCRIPT_KIND_TRANSITION } as const;
  for (const s of [intro, ...transitions, outro])
    await emit("script.approved", { scriptId: s.id, version: s.version, kind: kinds[s.kind as keyof typeof kinds] }, { editionId, key: `approved:${s.id}` });
  return true;
}

/** The story's headline in one language part, if it may be said on air. */
function speakableHeadline(story: Story, script: Script | undefined, lang: PartLanguage, partIndex: number): string | undefined {
  const all = (story.headline ?? story.title).split(" | ");
  const headline = (all[partIndex] ?? all[0]).replace(/[\s.。!！?？…]+$/u, "").trim();
  if (!headline || findHostile(headline, lang).length) return undefined;
  const read = detectLanguage(headline);
  if (lang === "zh" ? read !== "zh" : read === "zh") return undefined;
  // Grounding: a figure in the headline must be one the approved script says.
  const spoken = ((script?.lines ?? []) as ScriptLine[]).map((l) => l.text).join(" ");
  const figures = headline.match(/\d+(?:[.,]\d+)*/g) ?? [];
  if (figures.some((f) => !spoken.includes(f))) return undefined;
  return headline;
}
