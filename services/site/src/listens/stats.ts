// An edition's listening figures as the stats API and page show them: the completion rate and,
// per story in running order, how many sessions reached it, finished it and left during it.
import type { Db } from "@newsroom/platform/db/connect";
import type { EditionTimes } from "./edition-times.js";

export interface StoryStats {
  id: string;
  position: number;
  headline: string;
  start_s: number;
  end_s: number;
  /** Sessions that reached the story's start. */
  reached: number;
  /** Sessions that heard it to its end. */
  finished: number;
  /** Sessions that reached it but left before its end. */
  drop_off: number;
  /** drop_off / reached; null while no session reached it. */
  drop_off_rate: number | null;
}

export interface EditionStats {
  edition: string;
  title: string;
  /** Sessions (page loads) that started playing. */
  started: number;
  /** Sessions that played to the end. */
  completed: number;
  /** completed / started; null while no session started. */
  completion_rate: number | null;
  /** MP3 requests from the first byte, one per client a day (podcast apps and browsers). */
  downloads: number;
  stories: StoryStats[];
}

export async function readEditionStats(db: Db, times: EditionTimes): Promise<EditionStats> {
  const [edition, stories] = await Promise.all([
    db.selectFrom("listen_editions").selectAll().where("edition_id", "=", times.id).executeTakeFirst(),
    db.selectFrom("listen_stories").selectAll().where("edition_id", "=", times.id).execute(),
  ]);
  const byId = new Map(stories.map((s) => [s.story_id, s]));
  const started = edition?.started ?? 0;
  const completed = edition?.completed ?? 0;
  return {
    edition: times.id,
    title: times.title,
    started,
    completed,
    completion_rate: ratio(completed, started),
    downloads: edition?.downloads ?? 0,
    stories: times.stories.map((s, i) => {
      const reached = byId.get(s.id)?.reached ?? 0;
      const finished = byId.get(s.id)?.finished ?? 0;
      return {
        id: s.id,
        position: i + 1,
        headline: s.headline,
        start_s: s.startMs / 1000,
        end_s: s.endMs / 1000,
        reached,
        finished,
        drop_off: reached - finished,
        drop_off_rate: ratio(reached - finished, reached),
      };
    }),
  };
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
