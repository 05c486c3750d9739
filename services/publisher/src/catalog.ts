// Every published edition, for the feed and the front page: the rows say which are published,
// each folder's edition.json and MP3 say what was shipped.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "@newsroom/platform/db/connect";
import type { EditionDocument } from "./edition-json.js";
import type { FeedEpisode } from "./feed.js";
import type { IndexEntry, IndexShow } from "./index-page.js";
import { html } from "./html.js";
import { EDITION_FILES, FEEDS_DIR } from "./naming.js";
import { showFeedFile, type Show } from "./show.js";

export interface CatalogEntry {
  doc: EditionDocument;
  mp3Bytes: number;
}

export interface Catalog {
  entries: CatalogEntry[];
  /** Published editions whose files are not in this output folder (made elsewhere, or deleted). */
  missing: string[];
}

/**
 * The show's published editions found in `outDir`, plus `current` (being published now, not yet
 * marked so). Editions of other shows in the same folder and database belong to their own feeds.
 */
export async function loadCatalog(db: Db, outDir: string, show: Pick<Show, "slug" | "title">, current?: CatalogEntry): Promise<Catalog> {
  // Only this show's rows (or rows from before editions named their show): another show's
  // edition published into another folder is not "missing" from this one.
  const rows = await db
    .selectFrom("editions")
    .select("id")
    .where("status", "=", "published")
    .where((eb) => eb.or([eb("show_slug", "=", show.slug), eb("show_slug", "is", null)]))
    .orderBy("published_at", "desc")
    .execute();
  const entries: CatalogEntry[] = current ? [current] : [];
  const missing: string[] = [];
  for (const { id } of rows) {
    if (id === current?.doc.id) continue;
    const entry = await readEntry(outDir, id);
    if (!entry) missing.push(id);
    else if (ofShow(entry.doc, show)) entries.push(entry);
  }
  return { entries, missing };
}

/**
 * Editions of other shows published into the same folder, for its front page. Read from the folder,
 * not the database: a show with a database of its own may share the folder.
 */
export async function otherShowsEditions(outDir: string, show: Pick<Show, "slug" | "title">): Promise<CatalogEntry[]> {
  const folders = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  const entries: CatalogEntry[] = [];
  for (const f of folders) {
    if (!f.isDirectory() || f.name === FEEDS_DIR) continue;
    const entry = await readEntry(outDir, f.name);
    if (entry && !ofShow(entry.doc, show)) entries.push(entry);
  }
  return entries;
}

/** The front page's shows: the one being published (from its config) first, then the others by title. */
export function indexShows(current: { show: Show; description: string; baseUrl: string }, entries: CatalogEntry[], others: CatalogEntry[]): IndexShow[] {
  const { show } = current;
  const groups = new Map<string, IndexShow>();
  for (const e of others) {
    const s = e.doc.show;
    // Editions from before shows had slugs name their show by title and have no feed of their own.
    const key = s ? `slug:${s.slug}` : `title:${e.doc.podcast}`;
    const group = groups.get(key) ?? {
      title: s?.title ?? e.doc.podcast,
      feed: s ? { file: showFeedFile(s.slug), url: s.feed.url } : undefined,
      loopbackBaseUrl: s?.loopback_base_url ? new URL("..", s.feed.url).toString() : undefined,
      entries: [],
    };
    group.entries.push(indexEntry(e));
    groups.set(key, group);
  }
  return [
    { title: show.title, description: current.description, feed: { file: show.feedFile, url: show.feedUrl }, loopbackBaseUrl: show.loopback ? current.baseUrl : undefined, entries: entries.map(indexEntry) },
    ...[...groups.values()].sort((a, b) => a.title.localeCompare(b.title)),
  ];
}

/** Editions published before shows had slugs name their show by title. */
function ofShow(doc: EditionDocument, show: Pick<Show, "slug" | "title">): boolean {
  return doc.show ? doc.show.slug === show.slug : doc.podcast === show.title;
}

async function readEntry(outDir: string, id: string): Promise<CatalogEntry | undefined> {
  try {
    const doc = JSON.parse(await readFile(join(outDir, id, EDITION_FILES.json), "utf8")) as EditionDocument;
    const { size } = await stat(join(outDir, id, EDITION_FILES.mp3));
    return { doc, mp3Bytes: size };
  } catch {
    return undefined;
  }
}

/** The episode's show notes: podcast apps render the description as HTML, so feed text is escaped into it. */
export function feedEpisode(e: CatalogEntry): FeedEpisode {
  const { doc } = e;
  const description = html`<ol>${doc.stories.map((s) => html`<li>${s.headline}</li>`)}</ol>${
    doc.offline.used ? html`<p>Written by the embedded offline provider: extractive, no language model.</p>` : ""
  }${doc.left_out.length ? html`<p>Left out: ${doc.left_out.map((l) => `${l.title} (${l.reason})`).join("; ")}</p>` : ""}`;
  return {
    id: doc.id,
    title: doc.title,
    description: description.value,
    language: doc.language,
    airsAt: new Date(doc.now),
    publishedAt: new Date(doc.published_at),
    durationMs: doc.duration_ms,
    mp3Bytes: e.mp3Bytes,
  };
}

export function indexEntry(e: CatalogEntry): IndexEntry {
  return {
    id: e.doc.id,
    title: e.doc.title,
    publishedAt: new Date(e.doc.published_at),
    durationMs: e.doc.duration_ms,
    headlines: e.doc.stories.map((s) => s.headline),
    offline: e.doc.offline.used,
  };
}
