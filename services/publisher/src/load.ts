// Reads what the producer needs about one edition. Segment audio is read separately, and only
// when the edition is assembled: completeness checks run on every voiced segment.
import type { Selectable } from "kysely";
import type { Db } from "@newsroom/platform/db/connect";
import type { Edition, ModelCallsTable, Review, Script, Segment, Source, Story } from "@newsroom/platform/db/schema";

export type SegmentInfo = Omit<Segment, "pcm">;
export type ModelCall = Selectable<ModelCallsTable>;

export interface EditionState {
  edition: Edition;
  stories: Story[];
  scripts: Script[];
  segments: SegmentInfo[];
}

export interface EditionRecord extends EditionState {
  sources: Source[];
  reviews: Review[];
  calls: ModelCall[];
}

export class EditionMissingError extends Error {
  override name = "EditionMissingError";
}

const SEGMENT_INFO = ["id", "edition_id", "story_id", "script_id", "seq", "speaker", "text", "provider", "voice", "sample_rate", "duration_ms", "expected_ms", "attempts", "created_at"] as const;

export async function loadEditionState(db: Db, editionId: string): Promise<EditionState> {
  const edition = await db.selectFrom("editions").selectAll().where("id", "=", editionId).executeTakeFirst();
  if (!edition) throw new EditionMissingError(`no edition with id ${JSON.stringify(editionId)}`);
  const [stories, scripts, segments] = await Promise.all([
    db.selectFrom("stories").selectAll().where("edition_id", "=", editionId).orderBy("rank").orderBy("id").execute(),
    db.selectFrom("scripts").selectAll().where("edition_id", "=", editionId).orderBy("version").execute(),
    db.selectFrom("segments").select([...SEGMENT_INFO]).where("edition_id", "=", editionId).orderBy("script_id").orderBy("seq").execute(),
  ]);
  return { edition, stories, scripts, segments };
}

export async function loadEditionRecord(db: Db, editionId: string): Promise<EditionRecord> {
  const state = await loadEditionState(db, editionId);
  const [sources, reviews, calls] = await Promise.all([
    db.selectFrom("sources").selectAll().where("edition_id", "=", editionId).orderBy("published_at").orderBy("id").execute(),
    db.selectFrom("reviews").selectAll().where("edition_id", "=", editionId).orderBy("created_at").orderBy("id").execute(),
    db.selectFrom("model_calls").selectAll().where("edition_id", "=", editionId).orderBy("id").execute(),
  ]);
  return { ...state, sources, reviews, calls };
}

/** Audio of the given segments, by segment id. */
export async function loadSegmentAudio(db: Db, segmentIds: string[]): Promise<Map<string, Buffer>> {
  if (!segmentIds.length) return new Map();
  const rows = await db.selectFrom("segments").select(["id", "pcm"]).where("id", "in", segmentIds).execute();
  return new Map(rows.map((r) => [r.id, Buffer.from(r.pcm)]));
}
