// The stats page of an edition (/<id>/stats): the completion rate and the drop-off per story, as
// the stats API gives them, in the edition page's style under the same strict CSP (no script).
import type { FastifyInstance } from "fastify";
import type { Db } from "@newsroom/platform/db/connect";
import { cspMeta, formatClock, html, SafeHtml, scrollingTable } from "@newsroom/publisher/html";
import { PAGE_STYLE } from "@newsroom/publisher/page-assets";
import { perAddressLimit } from "./api/common.js";
import type { EditionTimesReader } from "./listens/edition-times.js";
import { readEditionStats, type EditionStats } from "./listens/stats.js";

export function renderStatsPage(stats: EditionStats, language: string): string {
  const lang = language === "en" ? "en" : "zh";
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
${cspMeta({ style: PAGE_STYLE })}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Listening: ${stats.title}</title>
<style>${new SafeHtml(PAGE_STYLE)}</style>
</head>
<body>
<nav aria-label="Edition"><p class="muted"><a href="./">${stats.title}</a></p></nav>
<main>
<h1>Listening</h1>
<p class="meta">${stats.title}</p>
<p id="completion">Completion rate: <strong>${percent(stats.completion_rate)}</strong> · ${stats.completed} of ${stats.started} ${stats.started === 1 ? "listener" : "listeners"} played to the end · ${stats.downloads} ${stats.downloads === 1 ? "download" : "downloads"}</p>
<p class="muted">A listener is one page load that played (no cookie, no address is kept); downloads are MP3 requests from the first byte, one per client a day.</p>
<h2>Drop-off per story</h2>
${stats.stories.length
  ? scrollingTable("Drop-off per story", html`<table id="drop-off"><thead><tr><th class="num">#</th><th>Story</th><th class="num">Starts at</th><th class="num">Reached</th><th class="num">Finished</th><th class="num">Left during it</th><th class="num">Drop-off</th></tr></thead><tbody>
${stats.stories.map(
  (s) => html`<tr><td class="num">${s.position}</td><td>${s.headline}</td><td class="num">${formatClock(s.start_s * 1000)}</td><td class="num">${s.reached}</td><td class="num">${s.finished}</td><td class="num">${s.drop_off}</td><td class="num">${percent(s.drop_off_rate)}</td></tr>`,
)}
</tbody></table>`)
  : html`<p class="muted">This edition has no stories.</p>`}
<p class="muted">The same figures as JSON: <a href="../api/v1/editions/${encodeURIComponent(stats.edition)}/stats">stats API</a>.</p>
</main>
</body>
</html>
`.value;
}

function percent(rate: number | null): string {
  return rate === null ? "no listeners yet" : `${Math.round(rate * 1000) / 10}%`;
}

/** GET /<id>/stats: the page, for an edition the site serves. */
export function registerStatsPage(app: FastifyInstance, opts: { db: Db; editionTimes: EditionTimesReader; perMinute: number }): void {
  app.get<{ Params: { id: string } }>("/:id/stats", { config: perAddressLimit(opts.perMinute) }, async (req, reply) => {
    const times = await opts.editionTimes(req.params.id);
    if (!times) return reply.callNotFound();
    const stats = await readEditionStats(opts.db, times);
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(renderStatsPage(stats, times.language));
  });
}
