// Feed text -> feed title and items with clean text, absolute links and real dates.
// feedsmith does the parsing (RSS 0.9x/2.0, Atom 0.3/1.0, RDF/RSS 1.0, JSON Feed); before it,
// the DOCTYPE guard refuses entity bombs and external entities, and a strict XML parser says
// whether the document is well-formed (bozo). An ill-formed feed still yields what can be read.
import { detectAtomFeed, detectRdfFeed, detectRssFeed, DetectError, parseFeed as feedsmithParse, ParseError, type AnyFeed } from "feedsmith";
import { primaryLanguage } from "@newsroom/platform/text/language";
import { htmlToCleanText, htmlToOneLine, looksLikeHtml, tidy } from "./clean-text.js";
import { parseFeedDate } from "./dates.js";
import { recoverXml } from "./recover.js";
import { toRawFeed, type RawText } from "./feed-formats.js";
import { wellFormednessErrors } from "./wellformed.js";
import { DEFAULT_GUARD_LIMITS, guardXml, HostileXmlError, type GuardLimits } from "./xml-guard.js";

export interface FeedItem {
  title: string;
  /** Absolute http(s) URL; undefined when the item has none (e.g. a guid with isPermaLink="false"). */
  link?: string;
  guid?: string;
  /** When the item was published (or, lacking that, last updated), as the publisher dated it. */
  published?: Date;
  updated?: Date;
  /** Clean text; the content when the item has no separate summary. */
  summary: string;
  /** Clean text of the full content, "" when the feed carries none. */
  content: string;
  /** Primary language subtag ("zh", "en"), from the item or the feed. */
  language?: string;
}

export interface ParsedFeed {
  format: AnyFeed["format"];
  feedTitle: string;
  feedLink?: string;
  language?: string;
  items: FeedItem[];
  /** The document is not well-formed (or its encoding was wrong); items were still read leniently. */
  bozo: boolean;
  errors: string[];
}

export interface ParseOptions {
  /** Where the document came from (final URL, or Content-Location): relative links resolve against it. */
  baseUrl?: string;
  /** IANA zone for dates without one. */
  timezone?: string;
  maxItems?: number;
  guard?: GuardLimits;
}

/** The feed cannot be read at all: hostile, empty, or no feed format. */
export class FeedParseError extends Error {
  override name = "FeedParseError";
}

export function parseFeedText(text: string, opts: ParseOptions = {}): ParsedFeed {
  const source = text.replace(/^\uFEFF/, "");
  if (!source.trim()) throw new FeedParseError("empty document");
  const isJson = /^\s*[{[]/.test(source);
  let prepared = source;
  const errors: string[] = [];
  if (!isJson) {
    try {
      prepared = guardXml(source, opts.guard ?? DEFAULT_GUARD_LIMITS);
    } catch (err) {
      if (err instanceof HostileXmlError) throw new FeedParseError(`refused: ${err.message}`);
      throw err;
    }
    errors.push(...wellFormednessErrors(prepared).map((e) => `not well-formed: ${e}`));
  }

  const parsed = readStructure(prepared, isJson, opts.maxItems ?? 500, errors);
  if (!parsed) return { format: detectFormat(prepared), feedTitle: "", items: [], bozo: errors.some(isBozo), errors };

  const raw = toRawFeed(parsed);
  const feedBase = resolve(raw.base, opts.baseUrl) ?? opts.baseUrl;
  const feedLanguage = languageOf(raw.language);
  const dateOpts = { timezone: opts.timezone };
  const firstDate = (candidates: (string | undefined)[], what: string): Date | undefined => {
    for (const c of candidates) {
      if (!c) continue;
      const d = parseFeedDate(c, dateOpts);
      if (d) return d;
      errors.push(`${what}: unreadable date "${c.slice(0, 60)}"`);
    }
    return undefined;
  };

  const items = raw.items.map((item, i): FeedItem => {
    const base = resolve(item.base, feedBase) ?? feedBase;
    const content = toText(item.content, false);
    const updated = firstDate(item.updated, `item ${i + 1}`);
    return {
      title: toText(item.title, true),
      link: httpUrl(resolve(item.link, base)),
      guid: item.guid?.trim() || undefined,
      published: firstDate(item.published, `item ${i + 1}`) ?? updated,
      updated,
      summary: toText(item.summary, false) || content,
      content,
      language: languageOf(item.language) ?? feedLanguage,
    };
  });

  return {
    format: parsed.format,
    feedTitle: toText(raw.title, true),
    feedLink: httpUrl(resolve(raw.link, feedBase)),
    language: feedLanguage,
    items,
    bozo: errors.some(isBozo),
    errors,
  };
}

/** feedsmith's reading of the document; an ill-formed one is recovered and read again.
 * undefined when it is a feed with nothing in it (`<rss version="2.0"></rss>`). */
function readStructure(text: string, isJson: boolean, maxItems: number, errors: string[]): AnyFeed<string> | undefined {
  const attempt = (doc: string) => feedsmithParse(doc, { maxItems });
  try {
    return attempt(text);
  } catch (err) {
    if (err instanceof DetectError) throw new FeedParseError(isJson ? "not a JSON Feed" : "no RSS, Atom or RDF feed in the document");
    if (isJson) throw new FeedParseError(`unreadable JSON Feed: ${(err as Error).message}`);
    if (err instanceof ParseError && !errors.some(isBozo)) return undefined;
  }
  try {
    const recovered = attempt(recoverXml(text));
    errors.push("recovered: read leniently after the strict parse failed");
    return recovered;
  } catch (err) {
    if (err instanceof ParseError) return undefined;
    throw new FeedParseError(`unreadable XML: ${(err as Error).message}`);
  }
}

function detectFormat(text: string): ParsedFeed["format"] {
  return detectAtomFeed(text) ? "atom" : detectRdfFeed(text) ? "rdf" : detectRssFeed(text) ? "rss" : "json";
}

const isBozo = (e: string) => e.startsWith("not well-formed");

function toText(field: RawText | undefined, oneLine: boolean): string {
  if (!field) return "";
  const isHtml = field.html === "maybe" ? looksLikeHtml(field.value) : field.html;
  if (!isHtml) return oneLine ? tidy(field.value).replace(/\s+/g, " ") : tidy(field.value);
  return oneLine ? htmlToOneLine(field.value) : htmlToCleanText(field.value);
}

function resolve(href: string | undefined, base: string | undefined): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  try {
    return new URL(h, base).href;
  } catch {
    return undefined;
  }
}

/** Only web links are kept: a "javascript:" or "file:" link from a feed is never followed or shown. */
function httpUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

function languageOf(tag: string | undefined): string | undefined {
  return tag?.trim() ? primaryLanguage(tag) : undefined;
}
