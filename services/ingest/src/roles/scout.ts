// The scout: reads every feed (a few at a time), and reports per feed what came of it.
// A failing feed is a report with an error, never an exception: one bad feed must not cost
// the edition the others.
import { fetchFeed, FeedFetchError, type FetchConfig, type FetchDeps, type FetchedFeed } from "../fetch.js";
import type { FeedStateStore } from "../feed-state.js";
import type { FeedItem } from "../parse.js";
import { readFeed } from "../read-feed.js";
import { readLimitedFile, sourceName, type FeedSource } from "../sources.js";

export interface ScoutedItem extends FeedItem {
  /** The feed's URL or file path. */
  feed: string;
  feedTitle: string;
}

export interface FeedReport {
  feed: string;
  feedTitle?: string;
  items: number;
  notModified: boolean;
  bozo: boolean;
  /** Set when nothing could be read from the feed. */
  error?: string;
  /** Problems that did not stop the feed from being read (encoding overridden, ill-formed XML, bad dates). */
  warnings: string[];
}

export interface ScoutDeps {
  fetch: FetchConfig;
  state?: FeedStateStore;
  /** Replaces the HTTP fetch (tests of the curator on fixed bytes). */
  fetchImpl?: (url: string, deps: FetchDeps) => Promise<FetchedFeed>;
  /** Called while bytes arrive and between feeds. */
  onActivity?: () => void;
  concurrency?: number;
}

export async function scoutFeeds(sources: FeedSource[], deps: ScoutDeps): Promise<{ items: ScoutedItem[]; reports: FeedReport[] }> {
  const results: { items: ScoutedItem[]; report: FeedReport }[] = new Array(sources.length);
  let next = 0;
  const worker = async () => {
    while (next < sources.length) {
      const i = next++;
      results[i] = await scoutOne(sources[i], deps);
      deps.onActivity?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 4, sources.length) }, worker));
  return { items: results.flatMap((r) => r.items), reports: results.map((r) => r.report) };
}

async function scoutOne(source: FeedSource, deps: ScoutDeps): Promise<{ items: ScoutedItem[]; report: FeedReport }> {
  const feed = sourceName(source);
  const failed = (error: string) => ({ items: [], report: { feed, items: 0, notModified: false, bozo: false, error, warnings: [] } });
  let bytes: Buffer;
  let contentType: string | undefined;
  let baseUrl: string | undefined;
  let notModified = false;
  try {
    if (source.kind === "url") {
      const fetched = await (deps.fetchImpl ?? fetchFeed)(source.url, { config: deps.fetch, state: deps.state, onActivity: deps.onActivity });
      ({ body: bytes, contentType, baseUrl, notModified } = fetched);
    } else {
      bytes = await readLimitedFile(source.path, deps.fetch.max_bytes);
    }
  } catch (err) {
    return failed(err instanceof FeedFetchError ? err.message : `feed ${feed}: ${(err as Error).message}`);
  }

  let parsed;
  try {
    parsed = readFeed(bytes, { contentType, baseUrl, timezone: source.timezone });
  } catch (err) {
    return failed(`feed ${feed}: ${(err as Error).message}`);
  }
  const feedTitle = source.name || parsed.feedTitle || feed;
  const items = parsed.items.map((item) => ({ ...item, title: item.title || headlineFrom(item.summary), feed, feedTitle })).filter((item) => item.title);
  const report: FeedReport = { feed, feedTitle, items: items.length, notModified, bozo: parsed.bozo, warnings: parsed.errors };
  if (!parsed.items.length) report.error = `feed ${feed}: no items`;
  return { items, report };
}

/** An item without a title is named by the start of its text (some feeds only carry descriptions). */
function headlineFrom(text: string): string {
  const first = text.split(/(?<=[.!?。！？])\s*/u)[0] ?? "";
  return first.length > 120 ? `${first.slice(0, 117).trimEnd()}…` : first;
}
