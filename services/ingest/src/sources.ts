// The config's feed list -> the feeds to read: URLs, files, and the feeds an OPML file lists.
// An OPML file that cannot be read is reported like a failing feed, never fatal on its own.
import { readFile, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseOpml, type Opml } from "feedsmith";
import type { FeedConfig } from "@newsroom/platform/config/schema";
import { decodeFeed } from "./decode.js";
import { guardXml } from "./xml-guard.js";

export type FeedSource =
  | { kind: "url"; url: string; name?: string; timezone?: string }
  | { kind: "file"; path: string; name?: string; timezone?: string };

export interface FeedProblem {
  feed: string;
  error: string;
}

/** What a source is called in notes and in `sources.feed`: its URL or file path. */
export function sourceName(s: FeedSource): string {
  return s.kind === "url" ? s.url : s.path;
}

export async function listFeedSources(feeds: FeedConfig[], maxBytes: number): Promise<{ sources: FeedSource[]; problems: FeedProblem[] }> {
  const sources: FeedSource[] = [];
  const problems: FeedProblem[] = [];
  for (const feed of feeds) {
    if ("url" in feed) sources.push({ kind: "url", url: feed.url, name: feed.name, timezone: feed.timezone });
    else if ("file" in feed) sources.push({ kind: "file", path: feed.file, name: feed.name, timezone: feed.timezone });
    else {
      try {
        sources.push(...opmlSources(decodeFeed(await readLimitedFile(feed.opml, maxBytes)).text, feed.opml));
      } catch (err) {
        problems.push({ feed: feed.opml, error: `opml ${feed.opml}: ${(err as Error).message}` });
      }
    }
  }
  const seen = new Set<string>();
  return { sources: sources.filter((s) => !seen.has(sourceName(s)) && seen.add(sourceName(s))), problems };
}

/** Feeds an OPML document lists (outlines with xmlUrl, at any depth). A relative xmlUrl names a file
 * beside the OPML file, so a folder of captured feeds can be listed in one OPML. */
export function opmlSources(text: string, opmlPath: string): FeedSource[] {
  let doc: Opml.Document<string>;
  try {
    doc = parseOpml(guardXml(text));
  } catch (err) {
    throw new Error(`not a readable OPML document (${(err as Error).message})`);
  }
  const found: FeedSource[] = [];
  const walk = (outlines: Opml.Outline<string>[] | undefined) => {
    for (const o of outlines ?? []) {
      const name = o.title ?? o.text;
      if (o.xmlUrl) {
        if (/^https?:\/\//i.test(o.xmlUrl)) found.push({ kind: "url", url: o.xmlUrl, name });
        else if (!/^[a-z][a-z0-9+.-]*:/i.test(o.xmlUrl)) found.push({ kind: "file", path: resolve(dirname(opmlPath), o.xmlUrl), name });
        else throw new Error(`outline "${name}": only http(s) URLs and relative file paths are feeds, not ${o.xmlUrl}`);
      }
      walk(o.outlines);
    }
  };
  walk(doc.body?.outlines);
  if (!found.length) throw new Error("lists no feeds (no outline has an xmlUrl)");
  return found;
}

/** A feed or OPML file from disk, refused past the same size limit as a download. */
export async function readLimitedFile(path: string, maxBytes: number): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw new Error(`cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (size > maxBytes) throw new Error(`file larger than ${maxBytes} bytes (${size})`);
  return readFile(path);
}
