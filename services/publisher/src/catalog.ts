// Every published edition, for the feed and the front page: the rows say which are published,
// each folder's edition.json and MP3 say what was shipped.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "@newsroom/platform/db/connect";
import type { EditionDocument } from "./edition-json.js";
import type { FeedEpisode } from "./feed.js";
import type { IndexEntry } from "./index-page.js";
import { EDITION_FILES } from "./naming.js";

export interface CatalogEntry {
  doc: EditionDocument;
  mp3Bytes: number;
}

export interface Catalog {
  entries: CatalogEntry[];
  /** Published editions whose files are not in this output folder (made elsewhere, or deleted). */
  missing: string[];
}

/** Published editions found in `outDir`, plus `current` (being published now, not yet marked so). */
export async function loadCatalog(db: Db, outDir: string, current?: CatalogEntry): Promise<Catalog> {
  const rows = await db.selectFrom("editions").select("id").where("status", "=", "published").orderBy("published_at", "desc").execute();
  const entries: CatalogEntry[] = current ? [current] : [];
  const missing: string[] = [];
  for (const { id } of rows) {
    if (id === current?.doc.id) continue;
    const entry = await readEntry(outDir, id);
    if (entry) entries.push(entry);
    else missing.push(id);
  }
  return { entries, missing };
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

export function feedEpisode(e: CatalogEntry): FeedEpisode {
  const lines = e.doc.stories.map((s, i) => `${i + 1}. ${s.headline}`);
  if (e.doc.offline.used) lines.push("(Written by the embedded offline provider: extractive, no language model.)");
  if (e.doc.left_out.length) lines.push(`${e.doc.left_out.length} left out: ${e.doc.left_out.map((l) => l.title).join("; ")}`);
  return {
    id: e.doc.id,
    title: e.doc.title,
    description: lines.join("\n"),
    language: e.doc.language,
    publishedAt: new Date(e.doc.published_at),
    durationMs: e.doc.duration_ms,
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
