// "Report a problem" under each story of the edition page, and the few lines of script that send
// it to the site's listener API (POST ../api/v1/reports). The CSP forbids form submission
// (form-action 'none'), so only this script, allowed by hash, can send a report, as JSON.
import type { ReportKind } from "@newsroom/platform/db/schema";
import { REPORT_KIND_NAMES } from "@newsroom/platform/editorial/reports";
import { html, type SafeHtml } from "./html.js";

/** What a listener can report, as the form lists them (kind, label). The site validates against the same list. */
export const REPORT_KINDS = (Object.entries(REPORT_KIND_NAMES) as [ReportKind, string][]).map(([kind, name]) => [kind, name[0].toUpperCase() + name.slice(1)] as const);
export const REPORT_NOTE_MAX = 500;

export function reportForm(editionId: string, storyId: string, n: number): SafeHtml {
  const id = (part: string) => `report-${n}-${part}`;
  return html`<details class="report"><summary>Report a problem</summary>
<form class="report" data-report data-edition="${editionId}" data-story="${storyId}">
<fieldset><legend>What is wrong with this story?</legend>
${REPORT_KINDS.map(([kind, label], i) => html`<label for="${id(kind)}"><input type="radio" id="${id(kind)}" name="kind" value="${kind}"${i === 0 ? html` required` : ""}> ${label}</label>`)}
</fieldset>
<label for="${id("note")}">Note (optional, at most ${REPORT_NOTE_MAX} characters)</label>
<textarea id="${id("note")}" name="note" maxlength="${REPORT_NOTE_MAX}" rows="3"></textarea>
<button type="submit">Send report</button>
<p class="muted" role="status" aria-live="polite"></p>
</form></details>`;
}

/** Appended to the page's one script (its CSP hash covers both). */
export const REPORT_SCRIPT = `
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-report")) return;
    event.preventDefault();
    var status = form.querySelector("[role=status]");
    var kind = form.querySelector("input[name=kind]:checked");
    var note = form.querySelector("textarea[name=note]");
    var say = function (text) { if (status) status.textContent = text; };
    if (!kind) return say("Choose what is wrong first.");
    var body = JSON.stringify({ edition: form.getAttribute("data-edition"), story: form.getAttribute("data-story"), kind: kind.value, note: note ? note.value : "" });
    say("Sending...");
    fetch(new URL("../api/v1/reports", location.href).toString(), { method: "POST", headers: { "content-type": "application/json" }, body: body })
      .then(function (res) {
        if (res.ok) { form.reset(); return say("Thank you: the corrections desk will look at it."); }
        return res.json().then(function (j) { say("Not sent: " + (j && j.error ? j.error : res.status)); }, function () { say("Not sent: " + res.status); });
      })
      .catch(function () { say("Not sent: reports need the newsroom's site (newsroom serve site)."); });
  });
})();
`;
