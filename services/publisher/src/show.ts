// A show is one podcast: one feed, one podcast:guid, one cover. It is identified by
// podcast.slug (default: made from the title), so two shows writing to one output folder get
// two feeds, and a show keeps its guid when its base URL moves.
import { createHash } from "node:crypto";
import { access } from "node:fs/promises";
import { join } from "node:path";
import type { NewsroomConfig } from "@newsroom/platform/config/schema";
import type { Db } from "@newsroom/platform/db/connect";
import { showSlug } from "@newsroom/platform/editions/show-slug";
import { isLoopback } from "@newsroom/platform/service/settings";
import { renderCover } from "./cover.js";
import { writeFileAtomic } from "./files.js";
import { FEEDS_DIR, publicUrl } from "./naming.js";

export interface Show {
  slug: string;
  title: string;
  podcastGuid: string;
  /** Paths inside the output folder. */
  feedFile: string;
  /** The generated cover's file, when podcast.image is unset. */
  coverFile: string | null;
  feedUrl: string;
  imageUrl: string;
  /** podcast.base_url points at this machine: the feed's links work nowhere else. */
  loopback: boolean;
}

/** The show's feed, inside the output folder. */
export function showFeedFile(slug: string): string {
  return `${FEEDS_DIR}/${slug}.xml`;
}

/** The show's names and URLs, computed from the config alone (for the page and edition.json). */
export function describeShow(config: NewsroomConfig, podcastGuid: string): Show {
  const slug = showSlug(config);
  const feedFile = showFeedFile(slug);
  const coverFile = config.podcast.image ? null : `${FEEDS_DIR}/${slug}-${coverKey(config)}.png`;
  return {
    slug,
    title: config.podcast.title,
    podcastGuid,
    feedFile,
    coverFile,
    feedUrl: publicUrl(config, ...feedFile.split("/")),
    imageUrl: config.podcast.image ?? publicUrl(config, ...coverFile!.split("/")),
    loopback: isLoopback(new URL(config.podcast.base_url).hostname),
  };
}

/**
 * The show as stored: its podcast:guid is assigned at its first publication (a UUIDv5 of its
 * feed URL then, as the Podcasting 2.0 namespace suggests) and kept from then on.
 */
export async function loadShow(db: Db, config: NewsroomConfig): Promise<Show> {
  const slug = showSlug(config);
  const first = describeShow(config, "");
  await db.insertInto("shows").values({ slug, podcast_guid: podcastGuid(first.feedUrl) }).onConflict((oc) => oc.column("slug").doNothing()).execute();
  const row = await db.selectFrom("shows").select("podcast_guid").where("slug", "=", slug).executeTakeFirstOrThrow();
  return describeShow(config, row.podcast_guid);
}

/** Writes the generated cover unless it is there already (its name changes with title and language). */
export async function ensureCover(outDir: string, show: Show, config: NewsroomConfig): Promise<string | null> {
  if (!show.coverFile) return null;
  const path = join(outDir, show.coverFile);
  try {
    await access(path);
  } catch {
    await writeFileAtomic(path, await renderCover(config.podcast.title, config.edition.language));
  }
  return path;
}

function coverKey(config: NewsroomConfig): string {
  return createHash("sha256").update(`${config.podcast.title}\n${config.edition.language}`).digest("hex").slice(0, 8);
}

/** podcast:guid as the namespace defines it: UUIDv5 of the feed URL without its scheme and trailing slashes. */
export function podcastGuid(feedUrl: string): string {
  const name = feedUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/\/+$/, "");
  return uuidV5(name, "ead4c236-bf58-58c6-a2c6-a6b28d128cb6");
}

function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
