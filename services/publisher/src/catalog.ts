// Every published edition, for the feed and the front page: the rows say which are published,
// each folder's edition.json and MP3 say what was shipped.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "@newsroom/platform/db/connect";
import type { EditionDocument } from "./edition-json.js";
import type { FeedEpisode } from "./feed.js";
import type { IndexEntry } from "./index-page.js";
import { html } from "./html.js";
import { EDITION_FILES } from "./naming.js";
import type { Show } from "./show.js";

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
  const rows = await db.selectFrom("editions").select("id").where("status", "=", "published").orderBy("published_at", "desc").execute();
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
