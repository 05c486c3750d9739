// Rows a voice test needs: an edition, a story and an approved script of spoken lines.
import type { Db } from "@newsroom/platform/db/connect";
import type { Persona } from "@newsroom/platform/config/schema";

export interface SeedScript {
  editionId: string;
  storyId: string;
  scriptId: string;
  language?: "zh" | "en" | "bilingual";
  lines: { speaker: Persona; text: string }[];
}

export async function seedEdition(db: Db, editionId: string, language: "zh" | "en" | "bilingual" = "zh"): Promise<void> {
  const now = new Date("2026-03-05T06:00:00Z");
  await db
    .insertInto("editions")
    .values({ id: editionId, slot: "morning", language, status: "producing", now, deadline_at: new Date(now.getTime() + 20 * 60_000), config: "{}", notes: "[]" })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function seedScript(db: Db, s: SeedScript): Promise<void> {
  const language = s.language ?? "zh";
  await seedEdition(db, s.editionId, language);
  await db
    .insertInto("stories")
    .values({
      id: s.storyId,
      edition_id: s.editionId,
      cluster_key: s.storyId,
      title: `Story ${s.storyId}`,
      summary: "",
      language,
      first_published: new Date("2026-03-05T05:00:00Z"),
      source_count: 1,
      status: "approved",
    })
    .execute();
  await db
    .insertInto("scripts")
    .values({
      id: s.scriptId,
      edition_id: s.editionId,
      story_id: s.storyId,
      kind: "story",
      version: 1,
      language,
      lines: JSON.stringify(s.lines),
      provider: "offline",
      model: "extractive",
      camp: "local",
      completion: "whole",
    })
    .execute();
}

/** `count` two-anchor scripts in one edition (a line each for anchor_a and anchor_b). */
export async function seedDialogues(db: Db, count: number, editionId: string): Promise<{ editionId: string; storyId: string; scriptId: string }[]> {
  const scripts = Array.from({ length: count }, (_, i) => ({ editionId, storyId: `st-${i}`, scriptId: `sc-${i}` }));
  for (const [i, s] of scripts.entries())
    await seedScript(db, {
      ...s,
      lines: [
        { speaker: "anchor_a", text: `这是第${i}条新闻的第一句话。` },
        { speaker: "anchor_b", text: "这是另一位主播的回应。" },
      ],
    });
  return scripts;
}
