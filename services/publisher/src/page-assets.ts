// The pages' only script and stylesheet. Both are constants (no edition data inside), allowed
// by hash in each page's Content-Security-Policy.
import { REPORT_SCRIPT } from "./report-form.js";

/**
 * Buttons with data-start (chapters, transcript lines) seek the player and play from there; the
 * player's listening is reported to the site (POST /api/v1/listens) for the completion rate.
 */
export const PLAYER_SCRIPT = `
(function () {
  var player = document.getElementById("player");
  if (!player) return;
  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest("button[data-start]") : null;
    if (!button) return;
    var start = Number(button.getAttribute("data-start"));
    if (!isFinite(start)) return;
    player.currentTime = start;
    var playing = player.play();
    if (playing && playing.catch) playing.catch(function () {});
  });
  var chapters = Array.prototype.slice.call(document.querySelectorAll("#chapters button[data-start]"));
  player.addEventListener("timeupdate", function () {
    var now = player.currentTime;
    chapters.forEach(function (b, i) {
      var next = chapters[i + 1];
      var on = now >= Number(b.getAttribute("data-start")) && (!next || now < Number(next.getAttribute("data-start")));
      if (on) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    });
  });
})();
(function () {
  // Listening beacons for the completion rate: no cookie, nothing stored in the browser; the
  // session is random per page load. Only when served over HTTP by the site (not from disk).
  var player = document.getElementById("player");
  var edition = player && player.getAttribute("data-edition");
  if (!edition || !/^https?:$/.test(location.protocol) || !window.crypto || !crypto.getRandomValues) return;
  var endpoint = new URL("../api/v1/listens", location.href).toString();
  var bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  var session = Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  var started = false, completed = false, lastSent = -1, timer = null;
  function send(event, position) {
    var at = isFinite(position) ? Math.max(0, Math.round(position * 10) / 10) : 0;
    var body = JSON.stringify({ edition: edition, event: event, session: session, position: at });
    try {
      fetch(endpoint, { method: "POST", body: body, keepalive: true, credentials: "omit", headers: { "content-type": "application/json" } }).catch(function () {});
    } catch (e) {
      if (navigator.sendBeacon) navigator.sendBeacon(endpoint, body);
    }
  }
  function progress() {
    if (!started || completed) return;
    var at = player.currentTime;
    if (Math.abs(at - lastSent) < 0.05) return;
    lastSent = at;
    send("progress", at);
  }
  player.addEventListener("play", function () {
    if (!started) { started = true; send("start", player.currentTime); }
    if (!timer) timer = setInterval(progress, 15000);
  });
  player.addEventListener("pause", function () { clearInterval(timer); timer = null; progress(); });
  player.addEventListener("ended", function () {
    clearInterval(timer); timer = null;
    if (!completed) { completed = true; send("complete", player.duration || player.currentTime); }
  });
  window.addEventListener("pagehide", progress);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") progress(); });
})();
` + REPORT_SCRIPT;

export const PAGE_STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --ink: #1a1a1a; --muted: #6b6b6b; --line: #d9d9d9; --warn: #fff4d6; --warn-ink: #5a4300; --accent: #1f5fbf; }
@media (prefers-color-scheme: dark) { :root { --bg: #121212; --ink: #e8e8e8; --muted: #a0a0a0; --line: #3a3a3a; --warn: #3b3212; --warn-ink: #f4e3a8; --accent: #8ab4f8; } }
/* Explicit colours, not the canvas default, so contrast holds (and is checkable) in both schemes. */
html { background: var(--bg); color: var(--ink); }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", sans-serif; max-width: 52rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; } h3 { font-size: 1.08rem; margin: 1.4rem 0 .3rem; }
.meta, .muted { color: var(--muted); font-size: .92rem; }
.notice { background: var(--warn); color: var(--warn-ink); border-radius: 6px; padding: .7rem .9rem; margin: 1rem 0; }
audio { width: 100%; margin: 1rem 0 .5rem; }
ol.chapters { padding-left: 1.4rem; } ol.chapters li { margin: .2rem 0; } ol.chapters button[data-start] { display: block; }
button[data-start] { font: inherit; background: none; border: 0; padding: 0; color: var(--accent); cursor: pointer; text-align: left; }
button[data-start]:hover, button[data-start]:focus-visible { text-decoration: underline; }
button[aria-current="true"] { font-weight: 600; }
.time { font-variant-numeric: tabular-nums; color: var(--muted); margin-right: .5rem; }
article { border-top: 1px solid var(--line); margin-top: 1.2rem; } article > h2 { border-bottom: 0; }
.script p { margin: .3rem 0; } .speaker { font-weight: 600; margin-right: .3rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0; }
/* Long unbroken text (joined ids, URLs, model names) wraps instead of widening the page on a phone. */
main { overflow-wrap: anywhere; } th, td { border-bottom: 1px solid var(--line); padding: .3rem .4rem; text-align: left; vertical-align: top; }
/* Cells wrap between words only (min-content stays a whole word); a table wider than a phone scrolls in its own box. */
th, td { overflow-wrap: break-word; } td .evidence, td a { overflow-wrap: anywhere; }
.table-scroll { overflow-x: auto; margin: .5rem 0; } .table-scroll > table { margin: 0; }
.table-scroll:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.flag { display: inline-block; font-size: .78rem; border: 1px solid currentColor; border-radius: 4px; padding: 0 .3rem; margin: 0 .2rem .1rem 0; }
.transcript p { margin: .25rem 0; }
ul.files { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem 1rem; }
a { color: var(--accent); }
details.report { margin: .6rem 0; } form.report fieldset { border: 1px solid var(--line); border-radius: 6px; margin: .4rem 0; padding: .3rem .6rem; }
form.report fieldset label { display: inline-block; margin: .15rem 1rem .15rem 0; } form.report textarea { display: block; box-sizing: border-box; width: 100%; font: inherit; margin: .2rem 0 .4rem; }
.correction { border-left: 4px solid var(--warn-ink); background: var(--warn); color: var(--warn-ink); padding: .5rem .8rem; margin: .6rem 0; }
`;
