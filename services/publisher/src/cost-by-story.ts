// The page's "cost by story" table: what each story (and the edition-wide work: lineup, intro,
// outro) cost in model and voice calls, from edition.json's usage. A section of its own so the
// page layout can move around it.
import type { EditionDocument } from "./edition-json.js";
import { html, scrollingTable, type SafeHtml } from "./html.js";

export function costByStorySection(doc: EditionDocument): SafeHtml | string {
  const rows = doc.usage.by_story ?? [];
  if (!rows.length) return "";
  const titles = new Map<string, string>([...doc.stories.map((s) => [s.id, s.headline || s.title] as const), ...doc.left_out.map((l) => [l.id, `${l.title} (left out)`] as const)]);
  const name = (id: string | null) => (id === null ? "Edition-wide (lineup, intro, outro)" : (titles.get(id) ?? id));
  return html`<details open><summary>By story</summary>${scrollingTable("Cost by story", html`<table class="usage cost-by-story"><thead><tr><th>Story</th><th class="num">Calls</th><th class="num">Cost (USD)</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${name(r.story_id)}</td><td class="num">${r.calls}</td><td class="num">${r.cost_usd.toFixed(4)}</td></tr>`)}
</tbody></table>`)}</details>`;
}
