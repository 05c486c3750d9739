// The output folder's front page: every published edition, newest first.
import type { NewsroomConfig } from "@newsroom/platform/config/schema";
import { cspMeta, formatClock, html, SafeHtml } from "./html.js";
import { EDITION_FILES } from "./naming.js";
import { PAGE_STYLE } from "./page-assets.js";
import type { Show } from "./show.js";

/** Said on every page while podcast.base_url is left at a loopback default. */
export function loopbackNotice(baseUrl: string): SafeHtml {
  return html`<p class="notice" role="note" id="loopback-notice"><strong>Feed links point at this machine.</strong> podcast.base_url is ${baseUrl}, so podcast apps and directories elsewhere cannot fetch this show's episodes. Set podcast.base_url to where this folder is served.</p>`;
}

export interface IndexEntry {
  id: string;
  title: string;
  publishedAt: Date;
  durationMs: number;
  headlines: string[];
  offline: boolean;
}

export function renderIndexPage(config: NewsroomConfig, show: Show, entries: IndexEntry[]): string {
  const p = config.podcast;
  const sorted = [...entries].sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || b.id.localeCompare(a.id));
  return html`<!doctype html>
<html lang="${config.edition.language === "en" ? "en" : "zh"}">
<head>
<meta charset="utf-8">
${cspMeta({ style: PAGE_STYLE })}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${p.title}</title>
<link rel="alternate" type="application/rss+xml" title="${p.title}" href="${show.feedFile}">
<!-- The constant style goes in verbatim: the CSP hash is of exactly this text. -->
<style>${new SafeHtml(PAGE_STYLE)}</style>
</head>
<body>
<main>
<h1>${p.title}</h1>
<p class="meta">${p.description}</p>
<p>Podcast feed: <a href="${show.feedFile}">${show.title}</a> <span class="muted">(${show.feedUrl})</span></p>
${show.loopback ? loopbackNotice(config.podcast.base_url) : ""}
${sorted.length ? "" : html`<p class="muted">No edition has been published yet.</p>`}
${sorted.map(
  (e) => html`<article>
<h2><a href="${encodeURIComponent(e.id)}/${EDITION_FILES.page}">${e.title}</a></h2>
<p class="meta">${formatClock(e.durationMs)} · ${e.publishedAt.toISOString().slice(0, 16).replace("T", " ")} UTC${e.offline ? " · made by the offline provider" : ""}</p>
<ol>${e.headlines.map((h) => html`<li>${h}</li>`)}</ol>
</article>`,
)}
</main>
</body>
</html>
`.value;
}
