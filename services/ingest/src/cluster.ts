// The curator's grouping: the same article reached twice is one source (canonical URL or
// GUID), and sources about the same story become one cluster, across feeds and languages.
// Deterministic: the same items always give the same clusters and the same keys.
import { createHash } from "node:crypto";
import { canonicalUrl } from "./canonical-url.js";
import { anchorTokens, jaccard, wordTokens } from "./tokens.js";

export interface Clusterable {
  title: string;
  summary: string;
  link?: string;
  guid?: string;
  published: Date;
  language?: string;
  /** Where the item came from (feed URL or file). */
  feed: string;
}

export interface Duplicate<T> {
  item: T;
  keptAs: T;
  reason: string;
}

export interface StoryCluster<T> {
  /** Stable across runs: derived from the earliest source's identity. */
  key: string;
  /** Earliest first. */
  items: T[];
  firstPublished: Date;
}

export interface ClusterOptions {
  /** Word overlap (Jaccard over title and lead) that makes two same-language items one story. */
  sameLanguage?: number;
  /** Share of the smaller anchor set (numbers, Latin-letter names) two items in different languages must
   * have in common, at least two anchors: a Chinese report names fewer of them than an English one. */
  crossLanguage?: number;
}

/** A source's identity: its canonical URL, else its GUID, else its feed and title. */
export function identity(item: Clusterable): string {
  if (item.link) return `url:${canonicalUrl(item.link)}`;
  if (item.guid) return `guid:${item.guid}`;
  return `title:${item.feed}:${item.title.toLowerCase()}`;
}

/** Keeps the earliest of items that share a canonical URL or a GUID. */
export function dedupe<T extends Clusterable>(items: T[]): { unique: T[]; duplicates: Duplicate<T>[] } {
  const sorted = [...items].sort(byPublished);
  const seen = new Map<string, T>();
  const unique: T[] = [];
  const duplicates: Duplicate<T>[] = [];
  for (const item of sorted) {
    const keys = [item.link && `url:${canonicalUrl(item.link)}`, item.guid && `guid:${item.guid}`].filter((k): k is string => !!k);
    const hit = keys.map((k) => [k, seen.get(k)] as const).find(([, v]) => v);
    if (hit) {
      duplicates.push({ item, keptAs: hit[1]!, reason: `same ${hit[0].startsWith("url:") ? "canonical URL" : "GUID"} as an earlier item` });
      continue;
    }
    for (const k of keys) seen.set(k, item);
    unique.push(item);
  }
  return { unique, duplicates };
}

export function clusterStories<T extends Clusterable>(items: T[], opts: ClusterOptions = {}): StoryCluster<T>[] {
  const sameLanguage = opts.sameLanguage ?? 0.3;
  const crossLanguage = opts.crossLanguage ?? 0.6;
  const sorted = [...items].sort(byPublished);
  const features = sorted.map((item) => {
    const text = `${item.title}\n${lead(item.summary)}`;
    return { words: new Set(wordTokens(text, item.language)), titleWords: new Set(wordTokens(item.title, item.language)), anchors: new Set(anchorTokens(text)), language: item.language ?? "und" };
  });

  const parent = sorted.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = features[i];
      const b = features[j];
      const same =
        a.language === b.language
          ? Math.max(jaccard(a.words, b.words), jaccard(a.titleWords, b.titleWords)) >= sameLanguage
          : sharedCount(a.anchors, b.anchors) >= 2 && sharedCount(a.anchors, b.anchors) / Math.min(a.anchors.size, b.anchors.size) >= crossLanguage;
      if (same) parent[find(j)] = find(i);
    }
  }

  const groups = new Map<number, T[]>();
  sorted.forEach((item, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), item]);
  });
  return [...groups.values()].map((members) => ({
    key: createHash("sha1").update(identity(members[0])).digest("hex").slice(0, 16),
    items: members,
    firstPublished: members[0].published,
  }));
}

function byPublished(a: Clusterable, b: Clusterable): number {
  return a.published.getTime() - b.published.getTime() || identity(a).localeCompare(identity(b));
}

/** The first 300 characters: enough to say what the story is, not so much that every story shares words. */
function lead(summary: string): string {
  return summary.slice(0, 300);
}

function sharedCount(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}
