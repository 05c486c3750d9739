// Memory across editions, per show: what the same show aired before, and whether a candidate
// is that story again.
//
// RULE (repeat or update): a candidate that reports the same event (same-event.ts) as a story
// an earlier edition of the same show aired is judged against the latest such airing. With a
// source published after that edition's "now" it airs again, framed as an update (update-frame.ts);
// without one it is a repeat and is left out. A candidate that carries a source the aired story
// carried (same URL, else GUID, else feed and title) is the same event whatever its terms. Earlier editions count when they belong to the
// same show (podcast slug), are not failed, and fall within the edition's window (window_hours
// before its "now"): a story aired before the window can only come back with newer sources.
// Aired stories are those in the lineup that were approved (or voiced).
import type { Db } from "@newsroom/platform/db/connect";
import type { AiredBefore, Edition, ScriptLine } from "@newsroom/platform/db/schema";
import { compareEvents, storyTerms, type Rarity, type StoryTerms } from "./same-event.js";

export interface AiredStory {
  before: Omit<AiredBefore, "new_sources">;
  terms: StoryTerms;
  /** Its sources' identities (sourceKey). */
  sourceKeys: Set<string>;
}

export interface IdentifiedSource {
  url: string | null;
  guid: string | null;
  feed: string;
  title: string;
}

/** What makes two source rows one article: its URL, else its GUID, else its feed and title. */
export function sourceKey(s: IdentifiedSource): string {
  return s.url ? `url:${s.url}` : s.guid ? `guid:${s.guid}` : `title:${s.feed}\n${s.title}`;
}

/** Longest part of the aired script the writer is shown. */
const AIRED_SCRIPT_CHARS = 600;

export async function loadAired(db: Db, edition: Pick<Edition, "id" | "show_slug" | "now">, windowHours: number): Promise<AiredStory[]> {
  if (!edition.show_slug) return [];
  const now = new Date(edition.now);
  const earlier = await db
    .selectFrom("editions")
    .select(["id", "slot", "now"])
    .where("show_slug", "=", edition.show_slug)
    .where("id", "!=", edition.id)
    .where("status", "!=", "failed")
    .where("now", "<", now)
    .where("now", ">=", new Date(now.getTime() - windowHours * 3_600_000))
    .execute();
  if (!earlier.length) return [];
  const stories = await db
    .selectFrom("stories")
    .select(["id", "edition_id", "title", "headline"])
    .where("edition_id", "in", earlier.map((e) => e.id))
    .where("rank", "is not", null)
    .where("status", "in", ["approved", "voiced"])
    .orderBy("id")
    .execute();
  if (!stories.length) return [];
  const ids = stories.map((s) => s.id);
  const [sources, scripts] = await Promise.all([
    db.selectFrom("sources").select(["story_id", "title", "text", "url", "guid", "feed"]).where("story_id", "in", ids).execute(),
    db.selectFrom("scripts").select(["story_id", "version", "lines"]).where("story_id", "in", ids).where("kind", "=", "story").execute(),
  ]);
  return stories.map((s) => {
    const e = earlier.find((x) => x.id === s.edition_id)!;
    const last = scripts.filter((x) => x.story_id === s.id).sort((a, b) => b.version - a.version)[0];
    const script = last ? (last.lines as ScriptLine[]).map((l) => l.text).join("\n") : "";
    const own = sources.filter((src) => src.story_id === s.id);
    return {
      sourceKeys: new Set(own.map(sourceKey)),
      before: {
        story_id: s.id,
        edition_id: s.edition_id,
        slot: e.slot,
        aired_at: new Date(e.now).toISOString(),
        headline: s.headline ?? s.title,
        script: script.length > AIRED_SCRIPT_CHARS ? `${script.slice(0, AIRED_SCRIPT_CHARS)}…` : script,
      },
      terms: storyTerms({ title: s.headline ?? s.title, sources: own }),
    };
  });
}

export type Repeat = { verdict: "fresh" } | { verdict: "repeat"; aired: AiredStory } | { verdict: "update"; aired: AiredBefore };

export function judgeRepeat(terms: StoryTerms, sources: (IdentifiedSource & { id: string; published_at: Date | string })[], aired: AiredStory[], rarity: Rarity): Repeat {
  const keys = sources.map(sourceKey);
  const last = aired
    .filter((a) => keys.some((k) => a.sourceKeys.has(k)) || compareEvents(terms, a.terms, rarity).same)
    .sort((a, b) => b.before.aired_at.localeCompare(a.before.aired_at) || a.before.story_id.localeCompare(b.before.story_id))[0];
  if (!last) return { verdict: "fresh" };
  const after = new Date(last.before.aired_at).getTime();
  const fresh = sources.filter((s) => new Date(s.published_at).getTime() > after).map((s) => s.id);
  return fresh.length ? { verdict: "update", aired: { ...last.before, new_sources: fresh.sort() } } : { verdict: "repeat", aired: last };
}
