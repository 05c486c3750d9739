// One spelling per article URL, so the same article reached through two feeds (or with
// tracking parameters) is one source: normalize-url with the tracking parameters feeds add.
import normalizeUrl from "normalize-url";

const TRACKING = [/^utm_\w+/i, /^(fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|ocid|cmpid|smid|wt_mc|wt_zmc|at_medium|at_campaign|at_custom\d*|spm|ito|rss|ref|ref_src|src)$/i];

/** Lower-case host without "www.", https, no fragment, no tracking parameters, sorted query, no trailing slash. */
export function canonicalUrl(url: string): string {
  try {
    return normalizeUrl(url, {
      forceHttps: true,
      stripHash: true,
      stripWWW: true,
      removeQueryParameters: TRACKING,
      removeTrailingSlash: true,
      removeSingleSlash: true,
      sortQueryParameters: true,
      removeDirectoryIndex: false,
    });
  } catch {
    return url.trim();
  }
}
