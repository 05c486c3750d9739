// The edition's page: player, chapters that seek, stories with their sources and review record,
// what was left out and why, usage and cost, transcript. Rendered from edition.json.
import type { EditionDocument, ReviewDoc, ScriptDoc, StoryDoc } from "./edition-json.js";
import { cspMeta, formatClock, html, outsideLink, SafeHtml, scrollingTable } from "./html.js";
import { loopbackNotice } from "./index-page.js";
import { EDITION_FILES } from "./naming.js";
import { PAGE_STYLE, PLAYER_SCRIPT } from "./page-assets.js";
import type { TranscriptCue } from "./transcript.js";
import type { UsageRow } from "./usage.js";
import { costByStorySection } from "./cost-by-story.js";
import { reportForm } from "./report-form.js";
import type { CorrectionDoc } from "./corrections.js";

export function renderEditionPage(doc: EditionDocument, cues: TranscriptCue[], opts: { twoAnchors: boolean }): string {
  const lang = doc.language === "en" ? "en" : "zh";
  const page = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
${cspMeta({ script: PLAYER_SCRIPT, style: PAGE_STYLE })}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${doc.title}</title>
<link rel="alternate" type="application/rss+xml" title="${doc.show.feed.title}" href="${doc.show.feed.url}">
<!-- The constant style and script go in verbatim: their CSP hashes are of exactly this text. -->
<style>${new SafeHtml(PAGE_STYLE)}</style>
</head>
<body>
<nav aria-label="Show"><p class="muted"><a href="../index.html">${doc.podcast}</a></p></nav>
<main>
<h1>${doc.title}</h1>
<p class="meta">${formatClock(doc.duration_ms)} · ${doc.stories.length} ${doc.stories.length === 1 ? "story" : "stories"} · published ${doc.published_at.slice(0, 16).replace("T", " ")} UTC${doc.published_because === "deadline" ? " at the deadline" : ""}</p>
${doc.show.loopback_base_url ? loopbackNotice(new URL(doc.show.feed.url).origin + "/") : ""}
<p class="meta" id="anchors">${anchorLine(doc)}</p>
${doc.offline.used ? html`<p class="notice" id="offline-notice" role="note"><strong>Made offline.</strong> Some or all of this edition was written by the embedded offline provider: its text is extracted from the sources by fixed rules, with no language model asked. Treat it as a draft.</p>` : ""}
${correctionsRead(doc)}
${doc.left_out.length ? html`<p class="notice" role="note">${doc.left_out.length} ${doc.left_out.length === 1 ? "story was" : "stories were"} left out of this edition; see <a href="#left-out">why</a>.</p>` : ""}
<audio id="player" controls preload="metadata" src="${EDITION_FILES.mp3}" data-edition="${doc.id}">
<track kind="captions" src="${EDITION_FILES.transcript}" srclang="${lang}" label="Transcript">
<a href="${EDITION_FILES.mp3}">Download the MP3</a>
</audio>
<ul class="files">
<li><a href="${EDITION_FILES.mp3}" download>MP3</a></li>
<li><a href="${EDITION_FILES.transcript}">Transcript (WebVTT)</a></li>
<li><a href="${EDITION_FILES.chapters}">Chapters</a></li>
<li><a href="${EDITION_FILES.json}">edition.json</a></li>
<li>Podcast feed: <a href="${doc.show.feed.url}">${doc.show.feed.title}</a></li>
<li><a href="stats">Listening: completion rate and drop-off</a></li>
</ul>

<h2>Chapters</h2>
<ol class="chapters" id="chapters">
${doc.stories.map((s) => chapterItem(s.start_ms, s.headline))}
</ol>

<h2>Stories</h2>
${doc.stories.map((s, i) => storySection(doc.id, s, i + 1, opts.twoAnchors ? speakerNames(doc) : undefined))}

<h2 id="left-out">Left out</h2>
${doc.left_out.length
  ? scrollingTable("Stories left out", html`<table><thead><tr><th>Story</th><th>Stage</th><th>Why</th></tr></thead><tbody>
${doc.left_out.map((l) => html`<tr><td>${l.title}</td><td>${l.stage}</td><td>${l.reason}</td></tr>`)}
</tbody></table>`)
  : html`<p class="muted">Every story in the lineup made it into the edition.</p>`}
${doc.dropped_before_lineup.length
  ? html`<details><summary>${doc.dropped_before_lineup.length} candidate ${doc.dropped_before_lineup.length === 1 ? "story" : "stories"} dropped before the lineup</summary>
${scrollingTable("Stories dropped before the lineup", html`<table><thead><tr><th>Story</th><th>Stage</th><th>Why</th></tr></thead><tbody>
${doc.dropped_before_lineup.map((l) => html`<tr><td>${l.title}</td><td>${l.stage}</td><td>${l.reason}</td></tr>`)}
</tbody></table>`)}</details>`
  : ""}
${doc.edition_reviews.length ? html`<h2>Lineup reviews</h2>${reviewTable(doc.edition_reviews, "Lineup reviews")}` : ""}

<h2>Models, voices and cost</h2>
${usageTable(doc.usage.by_provider, true, "Usage by provider")}
<details><summary>By camp</summary>${usageTable(doc.usage.by_camp, false, "Usage by camp")}</details>
${costByStorySection(doc)}
<p>Total cost: <strong>$${doc.usage.total_cost_usd.toFixed(4)}</strong></p>

${doc.notes.length ? html`<h2>Notes</h2><ul class="notes">${doc.notes.map((n) => html`<li><span class="flag">${n.kind}</span>${n.message}</li>`)}</ul>` : ""}

<h2>Transcript</h2>
<div class="transcript">
${cues.map((c) => html`<p><button type="button" data-start="${(c.startMs / 1000).toFixed(3)}"><span class="time">${formatClock(c.startMs)}</span></button>${opts.twoAnchors && c.speaker ? html`<span class="speaker">${c.speaker}:</span>` : ""}${c.text}</p>`)}
</div>
</main>
<script>${new SafeHtml(PLAYER_SCRIPT)}</script>
</body>
</html>
`;
  return page.value;
}

function chapterItem(startMs: number, title: string): SafeHtml {
  return html`<li><button type="button" data-start="${(startMs / 1000).toFixed(3)}"><span class="time">${formatClock(startMs)}</span>${title}</button></li>`;
}

/** persona -> on-air name. */
function speakerNames(doc: EditionDocument): Map<string, string> {
  return new Map(doc.anchors.map((a) => [a.persona as string, a.name]));
}

function storySection(editionId: string, s: StoryDoc, n: number, speakers: Map<string, string> | undefined): SafeHtml {
  return html`<article id="story-${n}">
<h3>${n}. ${s.headline}</h3>
${storyCorrections(s)}
<p class="meta"><button type="button" data-start="${(s.start_ms / 1000).toFixed(3)}">▶ ${formatClock(s.start_ms)}</button> · written by ${s.script.provider}/${s.script.model} (${s.script.camp})${s.script.offline ? " · offline provider" : ""}${s.script.completion !== "whole" ? ` · ${s.script.completion}` : ""} · version ${s.script.version}${s.disagreement ? html` · <span class="flag">reviewers disagreed</span>` : ""}${withoutMark(s)}</p>
${s.title !== s.headline ? html`<p class="muted">Source headline: ${s.title}</p>` : ""}
${s.summary ? html`<p class="summary">${s.summary}</p>` : ""}
${scriptLines(s.script, speakers)}
<h4>Sources</h4>
<ul class="sources">
${s.sources.map((src) => html`<li>${outsideLink(src.url, src.title)} <span class="muted">— ${src.feed_title ?? src.feed ?? "a local feed"}, ${src.published_at.slice(0, 16).replace("T", " ")} UTC</span></li>`)}
</ul>
<h4>Review record</h4>
${s.reviews.length ? reviewTable(s.reviews, `Reviews of story ${n}`) : html`<p class="muted">No reviews were recorded for this story.</p>`}
${reportForm(editionId, s.id, n)}
</article>`;
}

function scriptLines(script: ScriptDoc, speakers: Map<string, string> | undefined): SafeHtml {
  return html`<details class="script"><summary>Script</summary>${script.lines.map((l) => html`<p>${speakers ? html`<span class="speaker">${speakers.get(l.speaker) ?? l.speaker}:</span>` : ""}${l.text}</p>`)}</details>`;
}

/** One camp down: the story says whose review it went without. */
function withoutMark(s: StoryDoc): SafeHtml | string {
  return s.reviewed_without.length ? html` · <span class="flag">reviewed without the ${s.reviewed_without.join(" and ")} camp</span>` : "";
}

function reviewTable(reviews: ReviewDoc[], label: string): SafeHtml {
  return scrollingTable(label, html`<table class="reviews"><thead><tr><th>Role</th><th>Verdict</th><th>Reason and evidence</th><th>Model</th><th>Camp</th><th>Flags</th></tr></thead><tbody>
${reviews.map(
  (r) => html`<tr><td>${r.role}${r.script_version !== null ? html`<br><span class="muted">v${r.script_version}</span>` : ""}</td><td>${r.verdict.replaceAll(",", ", ")}</td><td>${r.reason}${evidenceList(r.evidence)}</td><td>${r.provider}/${r.model}</td><td>${r.camp}</td><td>${r.disagreement ? html`<span class="flag">disagreement</span>` : ""}${r.overruled ? html`<span class="flag">overruled</span> ${r.overruled_reason}` : ""}</td></tr>`,
)}
</tbody></table>`);
}

function evidenceList(evidence: unknown[]): SafeHtml | string {
  if (!evidence.length) return "";
  return html`<ul class="evidence">${evidence.map((e) => html`<li>${evidenceItem(e)}</li>`)}</ul>`;
}

function evidenceItem(e: unknown): SafeHtml {
  if (typeof e === "string") return html`${e}`;
  if (e && typeof e === "object") {
    const o = e as Record<string, unknown>;
    const text = [o.quote, o.text, o.claim, o.note, o.source, o.title].find((v) => typeof v === "string") as string | undefined;
    const url = typeof o.url === "string" ? o.url : undefined;
    if (text || url) return html`${text ? html`“${text}”` : ""} ${url ? outsideLink(url, url) : ""}`;
  }
  return html`${JSON.stringify(e)}`;
}

function usageTable(rows: UsageRow[], withProvider: boolean, label: string): SafeHtml {
  if (!rows.length) return html`<p class="muted">No model or voice calls were recorded.</p>`;
  return scrollingTable(label, html`<table class="usage"><thead><tr><th>Kind</th>${withProvider ? html`<th>Provider</th>` : ""}<th>Camp</th><th class="num">Calls</th><th class="num">Failed</th><th class="num">Tokens in</th><th class="num">Tokens out</th><th class="num">Characters</th><th class="num">Cost (USD)</th></tr></thead><tbody>
${rows.map(
  (r) => html`<tr><td>${r.kind === "tts" ? "voice" : "text"}</td>${withProvider ? html`<td>${r.provider}</td>` : ""}<td>${r.camp}</td><td class="num">${r.calls}</td><td class="num">${r.failed_calls}</td><td class="num">${r.input_tokens}${r.tokens_estimated ? "*" : ""}</td><td class="num">${r.output_tokens}${r.tokens_estimated ? "*" : ""}</td><td class="num">${r.characters}</td><td class="num">${r.cost_usd.toFixed(4)}</td></tr>`,
)}
</tbody></table>`);
}

/** "With 林晓 (lead) and 周航 (co-host)": who the listener hears. */
function anchorLine(doc: EditionDocument): string {
  const who = doc.anchors.map((a) => (doc.anchors.length > 1 ? `${a.name} (${a.role})` : a.name));
  return `With ${who.join(" and ")}`;
}

/** Upheld listener reports on this story: what was read on air, and why it was upheld. */
function storyCorrections(s: StoryDoc): SafeHtml | string {
  if (!s.corrections?.length) return "";
  return html`${s.corrections.map(
    (c) => html`<div class="correction" role="note"><p><strong>Correction</strong> (after a listener's report: ${c.kind}; read on air in <a href="../${c.read_in}/index.html">${c.read_in}</a>)</p>${c.text.map((t) => html`<p>${t}</p>`)}<p class="muted">${c.reason}</p></div>`,
  )}`;
}

/** The corrections this edition opens with, each linking to the corrected story's edition. */
function correctionsRead(doc: EditionDocument): SafeHtml | string {
  const read: CorrectionDoc[] = doc.corrections_read ?? [];
  if (!read.length) return "";
  return html`<div class="correction" id="corrections" role="note"><p><strong>This edition opens with ${read.length === 1 ? "a correction" : `${read.length} corrections`}</strong> after listeners' reports:</p><ul>${read.map(
    (c) => html`<li>${c.text.join(" / ")} <a href="../${c.edition_id}/index.html">(the ${c.edition_id} edition)</a></li>`,
  )}</ul></div>`;
}
