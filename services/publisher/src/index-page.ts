// The output folder's front page: every show published into the folder, each with its feed and
// its editions, newest first. Two shows sharing a folder share this page; neither hides the other.
import { cspMeta, formatClock, html, SafeHtml } from "./html.js";
import { EDITION_FILES } from "./naming.js";
import { PAGE_STYLE } from "./page-assets.js";

/** Said on every page while podcast.base_url is left at a loopback default. */
export function loopbackNotice(baseUrl: string, id = "loopback-notice"): SafeHtml {
  return html`<p class="notice" role="note" id="${id}"><strong>Feed links point at this machine.</strong> podcast.base_url is ${baseUrl}, so podcast apps and directories elsewhere cannot fetch this show's episodes. Set podcast.base_url to where this folder is served.</p>`;
}

export interface IndexEntry {
  id: string;
  title: string;
  publishedAt: Date;
  durationMs: number;
  headlines: string[];
  offline: boolean;
}

export interface IndexShow {
  title: string;
  /** Known for the show being published now (from its config). */
  description?: string;
  /** The feed, relative to the folder, and its public URL (editions from before shows had feeds of their own have none). */
  feed?: { file: string; url: string };
  /** podcast.base_url, when it is a loopback address. */
  loopbackBaseUrl?: string;
  entries: IndexEntry[];
}

/** `shows[0]` is the show being published; its language is the page's. */
export function renderIndexPage(language: string, shows: IndexShow[]): string {
  const several = shows.length > 1;
  const title = shows.map((s) => s.title).join(" · ");
  return html`<!doctype html>
<html lang="${language === "en" ? "en" : "zh"}">
<head>
<meta charset="utf-8">
${cspMeta({ style: PAGE_STYLE })}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
${shows.map((s) => (s.feed ? html`<link rel="alternate" type="application/rss+xml" title="${s.title}" href="${s.feed.file}">\n` : ""))}<!-- The constant style goes in verbatim: the CSP hash is of exactly this text. -->
<style>${new SafeHtml(PAGE_STYLE)}</style>
</head>
<body>
<main>
<h1>${title}</h1>
${shows.map((s, i) => (several ? html`<section aria-label="${s.title}">\n<h2>${s.title}</h2>\n${showBody(s, 3, i)}</section>\n` : showBody(s, 2, i)))}
</main>
</body>
</html>
`.value;
}

function showBody(show: IndexShow, level: 2 | 3, nth: number): SafeHtml {
  const sorted = [...show.entries].sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || b.id.localeCompare(a.id));
  const heading = (content: SafeHtml) => (level === 2 ? html`<h2>${content}</h2>` : html`<h3>${content}</h3>`);
  return html`${show.description ? html`<p class="meta">${show.description}</p>\n` : ""}${
    show.feed ? html`<p>Podcast feed: <a href="${show.feed.file}">${show.title}</a> <span class="muted">(${show.feed.url})</span></p>\n` : ""
  }${show.loopbackBaseUrl ? html`${loopbackNotice(show.loopbackBaseUrl, nth ? `loopback-notice-${nth + 1}` : undefined)}\n` : ""}${sorted.length ? "" : html`<p class="muted">No edition has been published yet.</p>\n`}${sorted.map(
    (e) => html`<article>
${heading(html`<a href="${encodeURIComponent(e.id)}/${EDITION_FILES.page}">${e.title}</a>`)}
<p class="meta">${formatClock(e.durationMs)} · ${e.publishedAt.toISOString().slice(0, 16).replace("T", " ")} UTC${e.offline ? " · made by the offline provider" : ""}</p>
<ol>${e.headlines.map((h) => html`<li>${h}</li>`)}</ol>
</article>
`,
  )}`;
}
