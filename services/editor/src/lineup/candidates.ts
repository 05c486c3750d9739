// The stories the lineup is chosen from, as editor_in_chief and deputy_editor see them, and
// the schema of one lineup opinion.
import { z } from "zod";
import type { EditionConfig } from "@newsroom/platform/config/schema";
import type { Db } from "@newsroom/platform/db/connect";
import type { SlotName } from "@newsroom/platform/editions/slot";
import { sourceLanguage } from "@newsroom/platform/editorial/material";
import { dataBlock } from "@newsroom/platform/router/prompt";
import { distinctOutlets } from "./outlets.js";

export interface Candidate {
  id: string;
  title: string;
  summary: string;
  /** Languages of its sources ("zh", "en", or other primary tags). */
  languages: string[];
  sourceCount: number;
  /** The different outlets carrying it (lineup/outlets.ts), by name: its reach. */
  outlets: string[];
  firstPublished: string;
  latestPublished: string;
}

export interface LineupInput {
  language: EditionConfig["language"];
  slot: SlotName;
  now: string;
  /** How many stories to pick. */
  stories: number;
  /** Who the show is for (editorial/audience.ts): impact and proximity are judged for them. */
  audience: string;
  /** In a neutral order (lineup/neutral-order.ts); candidate k is shown as "story k". */
  candidates: Candidate[];
  /** Longest summary shown per candidate (characters); unset shows them whole. Set when fitting a small context. */
  summaryChars?: number;
  /** Candidates left out to fit a small context (the oldest); the others keep their numbers. */
  hidden?: string[];
}

export const lineupSchema = z.object({
  picks: z
    .array(z.object({ id: z.string().describe("a candidate story id"), why: z.string().default("") }))
    .describe("the chosen stories, best first"),
  reason: z.string().describe("how the lineup was chosen"),
});
export type LineupOpinion = z.infer<typeof lineupSchema>;

export async function loadCandidates(db: Db, editionId: string): Promise<Candidate[]> {
  const stories = await db.selectFrom("stories").selectAll().where("edition_id", "=", editionId).where("status", "=", "candidate").orderBy("id").execute();
  if (!stories.length) return [];
  const sources = await db
    .selectFrom("sources")
    .select(["story_id", "language", "title", "text", "published_at", "url", "feed", "feed_title"])
    .where("story_id", "in", stories.map((s) => s.id))
    .execute();
  return stories
    .map((s) => {
    const own = sources.filter((src) => src.story_id === s.id).sort((a, b) => new Date(a.published_at).getTime() - new Date(b.published_at).getTime());
    const times = own.map((src) => new Date(src.published_at).getTime());
    return {
      id: s.id,
      title: s.title,
      summary: s.summary,
      languages: [...new Set(own.map(sourceLanguage))].sort(),
      sourceCount: own.length || s.source_count,
      outlets: distinctOutlets(own),
      firstPublished: new Date(times.length ? Math.min(...times) : s.first_published).toISOString(),
      latestPublished: new Date(times.length ? Math.max(...times) : s.first_published).toISOString(),
    };
    })
    .sort(byRecency);
}

/** The offline provider cannot translate: it only picks stories it can write in the edition's language. */
export function writableOffline(c: Candidate, language: EditionConfig["language"]): boolean {
  return language === "bilingual" ? c.languages.some((l) => l === "zh" || l === "en") : c.languages.includes(language);
}

/**
 * Candidates as editors see them: numbered 1..N ("story 3"). Weak models copy long ids
 * imperfectly; a short number they rarely get wrong, and code maps it back (resolvePick).
 * Each says its reach (outlets counted by code), its languages, and when it was first and
 * last reported (novelty).
 */
export function candidateBlocks(input: Pick<LineupInput, "candidates" | "summaryChars" | "hidden">): string {
  const hidden = new Set(input.hidden ?? []);
  return input.candidates
    .map((c, i) => {
      if (hidden.has(c.id)) return "";
      const summary = input.summaryChars === undefined ? c.summary : shorten(c.summary, input.summaryChars);
      return dataBlock(`story ${i + 1}`, `${c.title}${summary ? `\n${summary}` : ""}\n${reachLine(c)}`);
    })
    .filter(Boolean)
    .join("\n\n");
}

/** "reach: 2 outlets (Wire Service, Harbour City Local), 3 reports; en; first 2025-03-10T04:00Z, latest 2025-03-10T06:00Z" */
export function reachLine(c: Candidate): string {
  const n = c.outlets.length;
  const names = c.outlets.slice(0, 3).map((o) => shorten(o, 30)).join(", ") + (n > 3 ? ", …" : "");
  const time = (iso: string) => `${iso.slice(0, 16)}Z`;
  return (
    `reach: ${n} outlet${n === 1 ? "" : "s"}${n ? ` (${names})` : ""}, ${c.sourceCount} report${c.sourceCount === 1 ? "" : "s"}; ${c.languages.join("/")}; ` +
    `${c.firstPublished === c.latestPublished ? "" : `first ${time(c.firstPublished)}, `}latest ${time(c.latestPublished)}`
  );
}

/** What the editors are told about the handles. */
export const HANDLE_RULE = {
  zh: "候选新闻按编号列出（“story 3”）：id 只填编号，例如 \"3\"。",
  en: 'Candidates are numbered ("story 3"): give each pick\'s id as that number, e.g. "3".',
};

function shorten(text: string, chars: number): string {
  if (chars <= 0) return "";
  return text.length <= chars ? text : `${text.slice(0, chars).trimEnd()}…`;
}

/**
 * RULE (fitting a small context): first shorten every summary (160 characters, then halves down
 * to 20), then drop summaries, then hide the oldest quarter of the candidates shown (by
 * byRecency; the rest keep their numbers), never below twice the stories to pick.
 */
export function shrinkLineup<T extends LineupInput>(input: T): T | null {
  const chars = input.summaryChars;
  if (chars === undefined || chars > 20) return { ...input, summaryChars: chars === undefined ? 160 : Math.floor(chars / 2) };
  if (chars > 0) return { ...input, summaryChars: 0 };
  const floor = Math.max(input.stories * 2, 1);
  const shown = shownCandidates(input);
  if (shown.length <= floor) return null;
  const keep = Math.max(floor, Math.floor(shown.length * 0.75));
  return { ...input, hidden: [...(input.hidden ?? []), ...[...shown].sort(byRecency).slice(keep).map((c) => c.id)] };
}

/** The candidates the prompt shows (all but the hidden ones), in their order. */
export function shownCandidates(input: Pick<LineupInput, "candidates" | "hidden">): Candidate[] {
  const hidden = new Set(input.hidden ?? []);
  return input.candidates.filter((c) => !hidden.has(c.id));
}

/** A pick as a candidate id: the exact id, or a handle such as "3", "#3", "story 3". */
export function resolvePick(pick: string, candidates: Candidate[]): string | undefined {
  const p = pick.trim();
  if (candidates.some((c) => c.id === p)) return p;
  const handle = p.match(/^\D{0,12}?(\d{1,4})\D{0,3}$/)?.[1];
  return handle ? candidates[Number(handle) - 1]?.id : undefined;
}

/** RULE: a lineup reply must name at least min(stories, candidates) different candidates; otherwise the repair round says which handles are valid. */
export function checkLineup(output: LineupOpinion, input: LineupInput): string[] {
  const named = new Set(output.picks.map((p) => resolvePick(p.id, input.candidates)).filter(Boolean));
  const wanted = Math.min(input.stories, input.candidates.length);
  if (named.size >= wanted) return [];
  const wrong = output.picks.filter((p) => !resolvePick(p.id, input.candidates)).map((p) => JSON.stringify(p.id));
  return [
    `${named.size} of the ${wanted} picks name a candidate${wrong.length ? `; these ids are not candidate numbers: ${wrong.slice(0, 10).join(", ")}` : ""}. ` +
      `Valid ids are the story numbers listed (${validNumbers(input)}); give ${wanted} different ones.`,
  ];
}

/** The numbers shown, as ranges: "1 to 40" or "1 to 3, 5, 7 to 9". */
function validNumbers(input: LineupInput): string {
  const hidden = new Set(input.hidden ?? []);
  const ranges: [number, number][] = [];
  input.candidates.forEach((c, i) => {
    if (hidden.has(c.id)) return;
    const last = ranges.at(-1);
    if (last && last[1] === i) last[1] = i + 1;
    else ranges.push([i + 1, i + 1]);
  });
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a} to ${b}`)).join(", ");
}

/** Newest latest source first, then widest reach, then most sources, then id (so the order is total). */
export function byRecency(a: Candidate, b: Candidate): number {
  return b.latestPublished.localeCompare(a.latestPublished) || byReach(a, b);
}

/**
 * Widest reach first: most distinct outlets (the signal the model editors see; five feeds of one
 * outlet are one voice, not five), then most sources, then newest, then id.
 */
export function byReach(a: Candidate, b: Candidate): number {
  return b.outlets.length - a.outlets.length || b.sourceCount - a.sourceCount || b.latestPublished.localeCompare(a.latestPublished) || a.id.localeCompare(b.id);
}
