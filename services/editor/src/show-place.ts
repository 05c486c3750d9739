// Where a story sits in its show, for the writer: the air date in words, its place in the
// running order and the stories either side (so a script neither repeats a neighbour's opening
// nor reads as if it stood alone).
import type { Db } from "@newsroom/platform/db/connect";
import type { EditionConfig } from "@newsroom/platform/config/schema";
import type { StoryMaterial } from "@newsroom/platform/editorial/material";
import type { NewsroomConfig } from "@newsroom/platform/config/schema";
import { anchorNames } from "@newsroom/platform/editorial/anchors";

export interface ShowPlace {
  /** The edition's "now" (ISO) and time zone: the air date said in words comes from them. */
  now: string;
  timeZone: string;
  slot: "morning" | "evening";
  /** 1-based place in the running order, of `count` stories. */
  position: number;
  count: number;
  previous?: string;
  next?: string;
}

export async function showPlace(db: Db, material: StoryMaterial, settings: EditionConfig): Promise<ShowPlace> {
  const { story, edition } = material;
  const position = story.rank ?? 1;
  const around = await db
    .selectFrom("stories")
    .select(["rank", "title", "headline"])
    .where("edition_id", "=", edition.id)
    .where("rank", "in", [position - 1, position + 1])
    .execute();
  const titleAt = (rank: number) => {
    const s = around.find((r) => r.rank === rank);
    return s ? (s.headline ?? s.title) : undefined;
  };
  return {
    now: new Date(edition.now).toISOString(),
    timeZone: settings.timezone,
    slot: edition.slot,
    position,
    count: edition.lineup_size ?? position,
    previous: titleAt(position - 1),
    next: titleAt(position + 1),
  };
}

/** The anchors' on-air names in each language, anchor_a's first. */
export function namesByLanguage(config: Pick<NewsroomConfig, "anchors">, count: 1 | 2): Record<"zh" | "en", string[]> {
  const of = (lang: "zh" | "en") => {
    const names = anchorNames(config, count, lang);
    return [names.anchor_a, names.anchor_b].filter((n): n is string => !!n);
  };
  return { zh: of("zh"), en: of("en") };
}
