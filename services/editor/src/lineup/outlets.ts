// Reach across outlets: how many different outlets carry a story, computed by code (a model
// counting sources would count two feeds of one outlet twice, or a wire copy as its own report).
// An outlet is the site an item links to (its registrable domain: news.qq.com and new.qq.com are
// one outlet), else the feed's site, else the feed's name.
import type { Source } from "@newsroom/platform/db/schema";

type OutletSource = Pick<Source, "url" | "feed" | "feed_title">;

// Second-level labels under a country code that are not themselves an outlet: bbc.co.uk, sina.com.cn.
const GENERIC_SECOND_LEVEL = new Set(["co", "com", "net", "org", "gov", "edu", "ac", "ne", "or", "go"]);

/** The registrable domain of a URL (a heuristic, no public-suffix list), or null when it is no http(s) URL. */
export function siteOf(url: string | null | undefined): string | null {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return null;
  }
  if (!host || /^[\d.]+$/.test(host) || host.includes(":")) return host || null;
  const labels = host.split(".");
  const keep = labels.length >= 3 && labels.at(-1)!.length === 2 && GENERIC_SECOND_LEVEL.has(labels.at(-2)!) ? 3 : 2;
  return labels.slice(-keep).join(".");
}

/** What identifies a source's outlet. */
export function outletKey(s: OutletSource): string {
  return siteOf(s.url) ?? siteOf(s.feed) ?? (s.feed_title?.trim() || s.feed);
}

/** The different outlets among these sources, each by the name its first source's feed gives it (oldest first as given). */
export function distinctOutlets(sources: OutletSource[]): string[] {
  const names = new Map<string, string>();
  for (const s of sources) {
    const key = outletKey(s);
    if (!names.has(key)) names.set(key, s.feed_title?.trim() || key);
  }
  return [...names.values()];
}
