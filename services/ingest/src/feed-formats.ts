// feedsmith's output for RSS, Atom, RDF and JSON Feed -> one raw shape: which fields hold the
// title, link, id, dates, summary and content, whether each is HTML, and which xml:base and
// language apply. Cleaning, link resolution and date parsing happen in parse.ts.
import type { AnyFeed, AtomFeed, JsonFeed, RdfFeed, RssFeed } from "feedsmith";

export interface RawText {
  value: string;
  /** true: HTML (reduce to text); false: plain text; "maybe": RSS, which does not say. */
  html: boolean | "maybe";
}

export interface RawItem {
  title?: RawText;
  link?: string;
  guid?: string;
  /** Publication date candidates, best first (raw strings). */
  published: (string | undefined)[];
  updated: (string | undefined)[];
  summary?: RawText;
  content?: RawText;
  /** xml:base of the item, relative to the feed's. */
  base?: string;
  language?: string;
}

export interface RawFeed {
  title?: RawText;
  link?: string;
  base?: string;
  language?: string;
  items: RawItem[];
}

type S = string;

export function toRawFeed(parsed: AnyFeed<S>): RawFeed {
  switch (parsed.format) {
    case "rss":
      return fromRss(parsed.feed);
    case "atom":
      return fromAtom(parsed.feed);
    case "rdf":
      return fromRdf(parsed.feed);
    case "json":
      return fromJson(parsed.feed);
  }
}

const maybe = (value: string | undefined): RawText | undefined => (value ? { value, html: "maybe" } : undefined);
const html = (value: string | undefined): RawText | undefined => (value ? { value, html: true } : undefined);

function fromRss(feed: RssFeed.Feed<S>): RawFeed {
  return {
    title: maybe(feed.title),
    link: feed.link ?? alternate(feed.atom?.links),
    language: feed.language ?? feed.dc?.languages?.[0],
    base: feed.xml?.base,
    items: (feed.items ?? []).map((item) => {
      // A guid is the item's link unless it says isPermaLink="false" (RSS 2.0).
      const guid = item.guid?.value;
      const guidLink = guid && item.guid?.isPermaLink !== false && /^https?:\/\//i.test(guid) ? guid : undefined;
      return {
        title: maybe(item.title),
        link: item.link ?? alternate(item.atom?.links) ?? guidLink,
        guid: guid ?? item.atom?.id,
        published: [item.pubDate, item.dcterms?.issued?.[0], item.dcterms?.created?.[0], item.atom?.published],
        updated: [item.dc?.dates?.[0], item.dcterms?.modified?.[0], item.atom?.updated],
        summary: html(item.description),
        content: html(item.content?.encoded),
        base: item.xml?.base,
        language: item.xml?.lang ?? item.dc?.languages?.[0],
      };
    }),
  };
}

function atomText(t: AtomFeed.Text | AtomFeed.Content | undefined): RawText | undefined {
  if (!t?.value) return undefined;
  const type = (t.type ?? "text").toLowerCase();
  if (type.includes("/") && !/^text\/|[/+]xml$/.test(type)) {
    // RFC 4287 4.1.3.3: any other media type is base64; keep it only when it is text.
    const decoded = Buffer.from(t.value.trim(), "base64");
    const text = new TextDecoder("utf-8", { fatal: false }).decode(decoded);
    return text && !text.includes("\uFFFD") && !text.includes("\0") ? { value: text, html: false } : undefined;
  }
  const isHtml = type === "html" || type === "xhtml" || type.includes("html");
  return { value: t.value, html: isHtml };
}

function alternate(links: { href?: string; rel?: string; type?: string }[] | undefined): string | undefined {
  if (!links?.length) return undefined;
  const alternates = links.filter((l) => l.href && (!l.rel || l.rel === "alternate"));
  return (alternates.find((l) => !l.type || l.type.includes("html")) ?? alternates[0])?.href;
}

function fromAtom(feed: AtomFeed.Feed<S>): RawFeed {
  const f = feed as AtomFeed.Feed<S> & { xml?: { base?: string; lang?: string }; dc?: { languages?: string[] } };
  return {
    title: atomText(feed.title),
    link: alternate(feed.links),
    base: f.xml?.base,
    language: f.xml?.lang ?? f.dc?.languages?.[0],
    items: (feed.entries ?? []).map((entry) => {
      const e = entry as AtomFeed.Entry<S> & { xml?: { base?: string; lang?: string } };
      return {
        title: atomText(entry.title),
        link: alternate(entry.links),
        guid: entry.id,
        published: [entry.published, entry.dcterms?.issued?.[0], entry.dcterms?.created?.[0]],
        updated: [entry.updated, entry.dc?.dates?.[0], entry.dcterms?.modified?.[0]],
        summary: atomText(entry.summary),
        content: entry.content?.src ? undefined : atomText(entry.content),
        base: e.xml?.base ?? entry.content?.xml?.base,
        language: e.xml?.lang,
      };
    }),
  };
}

function fromRdf(feed: RdfFeed.Feed<S>): RawFeed {
  return {
    title: maybe(feed.title),
    link: feed.link,
    base: feed.xml?.base,
    language: feed.dc?.languages?.[0] ?? feed.xml?.lang,
    items: (feed.items ?? []).map((item) => ({
      title: maybe(item.title),
      link: item.link ?? item.rdf?.about,
      guid: item.rdf?.about ?? item.link,
      published: [item.dcterms?.issued?.[0], item.dcterms?.created?.[0]],
      updated: [item.dc?.dates?.[0], item.dcterms?.modified?.[0]],
      summary: html(item.description),
      content: html(item.content?.encoded),
      base: item.xml?.base,
      language: item.dc?.languages?.[0] ?? item.xml?.lang,
    })),
  };
}

function fromJson(feed: JsonFeed.Feed<S>): RawFeed {
  return {
    title: { value: feed.title ?? "", html: false },
    link: feed.home_page_url,
    language: feed.language,
    items: (feed.items ?? []).map((item) => ({
      title: item.title ? { value: item.title, html: false } : undefined,
      link: item.url ?? item.external_url,
      guid: item.id,
      published: [item.date_published],
      updated: [item.date_modified],
      summary: item.summary ? { value: item.summary, html: false } : undefined,
      content: item.content_html ? { value: item.content_html, html: true } : item.content_text ? { value: item.content_text, html: false } : undefined,
      language: item.language ?? feed.language,
    })),
  };
}
