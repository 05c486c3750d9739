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
  candidates: Candidate[];
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
  return stories.map((s) => {
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
  });
}

/** The offline provider cannot translate: it only picks stories it can write in the edition's language. */
export function writableOffline(c: Candidate, language: EditionConfig["language"]): boolean {
  return language === "bilingual" ? c.languages.some((l) => l === "zh" || l === "en") : c.languages.includes(language);
}

export function candidateBlocks(candidates: Candidate[]): string {
  return candidates
    .map((c) =>
      dataBlock(
        `story ${c.id}`,
        `${c.title}\n${c.summary}\nsources: ${c.sourceCount} (${c.languages.join(", ")}); first ${c.firstPublished}; latest ${c.latestPublished}`,
      ),
    )
    .join("\n\n");
}

/** Newest latest source first, then most sources, then id (so the order is total). */
export function byRecency(a: Candidate, b: Candidate): number {
  return b.latestPublished.localeCompare(a.latestPublished) || b.sourceCount - a.sourceCount || a.id.localeCompare(b.id);
}

/** Most sources first (the most widely reported story), then newest, then id. */
export function byClusterSize(a: Candidate, b: Candidate): number {
  return b.sourceCount - a.sourceCount || b.latestPublished.localeCompare(a.latestPublished) || a.id.localeCompare(b.id);
}
