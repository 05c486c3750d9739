// Where each story starts and ends in an edition's MP3, read from the edition.json the publisher
// wrote next to it (the same times as its chapters). The site serves those files, so a beacon
// names a real edition exactly when its folder has an edition.json.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { EditionDocument } from "@newsroom/publisher/edition-json";
import { assertSafeEditionId, EDITION_FILES } from "@newsroom/publisher/naming";

export interface StoryTimes {
  id: string;
  headline: string;
  startMs: number;
  endMs: number;
}

export interface EditionTimes {
  id: string;
  title: string;
  language: string;
  durationMs: number;
  stories: StoryTimes[];
}

/** Reads an edition's times by id; null for an id that is no edition folder of `root`. */
export type EditionTimesReader = (editionId: string) => Promise<EditionTimes | null>;

/** Editions kept parsed; edition.json is re-read when its modification time changes (a republish). */
const CACHED_EDITIONS = 256;

export function editionTimesReader(root: string): EditionTimesReader {
  const cache = new Map<string, { mtimeMs: number; times: EditionTimes }>();
  return async (editionId) => {
    if (!isSafeId(editionId)) return null;
    const file = join(root, editionId, EDITION_FILES.json);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const hit = cache.get(editionId);
    if (hit && hit.mtimeMs === info.mtimeMs) return hit.times;
    const times = fromDocument(JSON.parse(await readFile(file, "utf8")) as EditionDocument);
    cache.delete(editionId);
    cache.set(editionId, { mtimeMs: info.mtimeMs, times });
    if (cache.size > CACHED_EDITIONS) cache.delete(cache.keys().next().value!);
    return times;
  };
}

function isSafeId(id: string): boolean {
  try {
    assertSafeEditionId(id);
    return true;
  } catch {
    return false;
  }
}

function fromDocument(doc: EditionDocument): EditionTimes {
  return {
    id: doc.id,
    title: doc.title,
    language: doc.language,
    durationMs: doc.duration_ms,
    stories: doc.stories.map((s) => ({ id: s.id, headline: s.headline, startMs: s.start_ms, endMs: s.end_ms })),
  };
}
