// The stories the lineup is chosen from, as editor_in_chief and deputy_editor see them, and
// the schema of one lineup opinion.
import { z } from "zod";
import type { EditionConfig } from "@newsroom/platform/config/schema";
import type { Db } from "@newsroom/platform/db/connect";
import type { SlotName } from "@newsroom/platform/editions/slot";
import { sourceLanguage } from "@newsroom/platform/editorial/material";
import { dataBlock } from "@newsroom/platform/router/prompt";

export interface Candidate {
  id: string;
  title: string;
  summary: string;
  /** Languages of its sources ("zh", "en", or other primary tags). */
  languages: string[];
  sourceCount: number;
  firstPublished: string;
  latestPublished: string;
}

export interface LineupInput {
  language: EditionConfig["language"];
  slot: SlotName;
  now: string;
  /** How many stories to pick. */
  stories: number;
  /** Best first by the deterministic order (byRecency): trimming for a small context drops from the end. */
  candidates: Candidate[];
  /** Longest summary shown per candidate (characters); unset shows them whole. Set when fitting a small context. */
  summaryChars?: number;
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
    .select(["story_id", "language", "title", "text", "published_at"])
    .where("story_id", "in", stories.map((s) => s.id))
    .execute();
  return stories
    .map((s) => {
    const own = sources.filter((src) => src.story_id === s.id);
    const times = own.map((src) => new Date(src.published_at).getTime());
    return {
      id: s.id,
      title: s.title,
      summary: s.summary,
      languages: [...new Set(own.map(sourceLanguage))].sort(),
      sourceCount: own.length || s.source_count,
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
 */
export function candidateBlocks(input: Pick<LineupInput, "candidates" | "summaryChars">): string {
  return input.candidates
    .map((c, i) => {
      const summary = input.summaryChars === undefined ? c.summary : shorten(c.summary, input.summaryChars);
      return dataBlock(`story ${i + 1}`, `${c.title}${summary ? `\n${summary}` : ""}\n${c.sourceCount} source(s), ${c.languages.join("/")}; latest ${c.latestPublished.slice(0, 16)}Z`);
    })
    .join("\n\n");
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
 * to 20), then drop summaries, then drop the last quarter of the candidates (they are ordered
 * newest first, so the oldest go), never below twice the stories to pick.
 */
export function shrinkLineup<T extends LineupInput>(input: T): T | null {
  const chars = input.summaryChars;
  if (chars === undefined || chars > 20) return { ...input, summaryChars: chars === undefined ? 160 : Math.floor(chars / 2) };
  if (chars > 0) return { ...input, summaryChars: 0 };
  const floor = Math.max(input.stories * 2, 1);
  if (input.candidates.length <= floor) return null;
  return { ...input, candidates: input.candidates.slice(0, Math.max(floor, Math.floor(input.candidates.length * 0.75))) };
}

/** An opinion's picks as the handles of this candidate list (picks not in it are left out). */
export function pickHandles(opinion: LineupOpinion, candidates: Candidate[]): string[] {
  const ids = opinion.picks.map((p) => resolvePick(p.id, candidates)).filter(Boolean);
  return [...new Set(ids)].map((id) => String(candidates.findIndex((c) => c.id === id) + 1));
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
      `Valid ids are the numbers 1 to ${input.candidates.length}; give ${wanted} different ones.`,
  ];
}

/** Newest latest source first, then most sources, then id (so the order is total). */
export function byRecency(a: Candidate, b: Candidate): number {
  return b.latestPublished.localeCompare(a.latestPublished) || b.sourceCount - a.sourceCount || a.id.localeCompare(b.id);
}

/** Most sources first (the most widely reported story), then newest, then id. */
export function byClusterSize(a: Candidate, b: Candidate): number {
  return b.sourceCount - a.sourceCount || b.latestPublished.localeCompare(a.latestPublished) || a.id.localeCompare(b.id);
}
