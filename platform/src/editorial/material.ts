// What the editorial roles work from: an edition, a story and its sources, read in one place.
import type { Db } from "../db/connect.js";
import type { Edition, Script, Source, Story } from "../db/schema.js";
import { detectLanguage, primaryLanguage } from "../text/language.js";

export interface StoryMaterial {
  edition: Edition;
  story: Story;
  /** Oldest first. */
  sources: Source[];
}

export class MissingRowError extends Error {
  override name = "MissingRowError";
}

export async function loadEdition(db: Db, editionId: string): Promise<Edition> {
  const edition = await db.selectFrom("editions").selectAll().where("id", "=", editionId).executeTakeFirst();
  if (!edition) throw new MissingRowError(`edition ${editionId} does not exist`);
  return edition;
}

export async function loadStoryMaterial(db: Db, storyId: string): Promise<StoryMaterial> {
  const story = await db.selectFrom("stories").selectAll().where("id", "=", storyId).executeTakeFirst();
  if (!story) throw new MissingRowError(`story ${storyId} does not exist`);
  const [edition, sources] = await Promise.all([
    loadEdition(db, story.edition_id),
    db.selectFrom("sources").selectAll().where("story_id", "=", storyId).orderBy("published_at").orderBy("id").execute(),
  ]);
  return { edition, story, sources };
}

/** A source's language: the feed's tag when it names zh or en, else what the text reads as. */
export function sourceLanguage(source: Pick<Source, "language" | "title" | "text">): string {
  const tagged = primaryLanguage(source.language);
  if (tagged === "zh" || tagged === "en") return tagged;
  const read = detectLanguage(`${source.title} ${source.text}`);
  return read === "other" ? tagged : read;
}

/** A story script with its story's material; null when it is no story script or a newer version exists (a redelivery). */
export async function loadCurrentScript(db: Db, scriptId: string): Promise<{ script: Script; material: StoryMaterial } | null> {
  const script = await db.selectFrom("scripts").selectAll().where("id", "=", scriptId).executeTakeFirst();
  if (!script?.story_id) return null;
  const newer = await db.selectFrom("scripts").select("id").where("story_id", "=", script.story_id).where("version", ">", script.version).executeTakeFirst();
  if (newer) return null;
  return { script, material: await loadStoryMaterial(db, script.story_id) };
}
