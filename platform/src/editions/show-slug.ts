// Which show an edition belongs to: podcast.slug, else a slug made from the podcast title.
// One definition for the publisher (feed file, podcast:guid) and the editor (memory per show).
import { createHash } from "node:crypto";
import type { NewsroomConfig } from "../config/schema.js";

export function showSlug(config: Pick<NewsroomConfig, "podcast">): string {
  if (config.podcast.slug) return config.podcast.slug;
  const fromTitle = config.podcast.title
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  // A title with no Latin letters (新闻早晚报) still needs a stable file name.
  return fromTitle || `show-${createHash("sha256").update(config.podcast.title).digest("hex").slice(0, 10)}`;
}
