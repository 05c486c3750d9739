// Edition titles, dates and public links, in one place so the feed, page, tags and JSON agree.
import type { NewsroomConfig } from "@newsroom/platform/config/schema";
import type { Edition } from "@newsroom/platform/db/schema";

/** Edition ids become folder names and URL path segments. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertSafeEditionId(id: string): string {
  if (!SAFE_ID.test(id) || id.includes("..")) throw new Error(`edition id ${JSON.stringify(id)} cannot be used as a folder name`);
  return id;
}

/** The edition's calendar date (YYYY-MM-DD) in the configured time zone. */
export function editionDate(edition: Pick<Edition, "now">, config: NewsroomConfig): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: config.edition.timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(edition.now));
}

export function editionTitle(edition: Pick<Edition, "now" | "slot" | "language">, config: NewsroomConfig): string {
  const date = editionDate(edition, config);
  if (edition.language === "zh") {
    const [y, m, d] = date.split("-").map(Number);
    return `${config.podcast.title}｜${y}年${m}月${d}日 ${edition.slot === "morning" ? "早间" : "晚间"}`;
  }
  return `${config.podcast.title}: ${edition.slot === "morning" ? "Morning" : "Evening"} edition, ${date}`;
}

/** Public URL of a file in an edition folder (or of the output folder itself), from podcast.base_url. */
export function publicUrl(config: NewsroomConfig, ...path: string[]): string {
  const base = config.podcast.base_url.endsWith("/") ? config.podcast.base_url : `${config.podcast.base_url}/`;
  return new URL(path.map(encodeURIComponent).join("/"), base).toString();
}

/** Files in every edition folder. */
export const EDITION_FILES = {
  mp3: "edition.mp3",
  transcript: "transcript.vtt",
  chapters: "chapters.json",
  json: "edition.json",
  page: "index.html",
} as const;

/** Folder of the output folder that holds each show's feed (<slug>.xml) and generated cover. */
export const FEEDS_DIR = "feeds";
