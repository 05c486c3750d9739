// The edition page in headless Chromium, served over HTTP with byte ranges: the player loads the
// MP3, chapter buttons seek it, and hostile feed text shows as text without running.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@newsroom/platform/db/connect";
import { assembleEdition } from "@newsroom/publisher/assemble";
import { freshPglite } from "../support/services.js";
import { HOSTILE_SUMMARY, HOSTILE_TITLE, publisherConfig, seedCalls, seedEdition } from "./seed.js";
import { serveStatic } from "./static-server.js";

const ED = "2026-11-28-evening-page01";
/** Page expressions are strings: this project's TypeScript has no DOM library. */
const PLAYER = `document.getElementById("player")`;
const HOSTILE_REASON = `<svg onload="window.__pwned=1">`;
let db: Db;
let browser: Browser;
let server: Awaited<ReturnType<typeof serveStatic>>;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  db = await freshPglite();
}, 60_000);

beforeAll(async () => {
  const outDir = mkdtempSync(join(tmpdir(), "newsroom-page-"));
  await seedEdition(db, {
    id: ED,
    intro: [{ ms: 2000, rate: 22050 }],
    outro: [{ ms: 1000, rate: 22050 }],
    stories: [
      {
        id: "p1",
        rank: 1,
        status: "voiced",
        title: HOSTILE_TITLE,
        summary: HOSTILE_SUMMARY,
        segments: [{ ms: 3000, rate: 24000 }],
        sources: [
          { title: `<img src=x onerror="window.__pwned=1">Source`, url: "https://ok.example.org/a" },
          { title: "Script link", url: "javascript:window.__pwned=1" },
          { title: "Data link", url: "data:text/html,<script>window.__pwned=1</script>" },
        ],
        reviews: [{ role: "cross_reviewer", verdict: "approve", reason: `<script>window.__pwned=1</script>fine`, evidence: [`<img src=x onerror="window.__pwned=1">`], disagreement: true }],
      },
      { id: "p2", rank: 2, status: "voiced", title: "Second story", segments: [{ ms: 4000, rate: 32000 }] },
      { id: "p3", rank: 3, status: "dropped", title: `<img src=x onerror="window.__pwned=1">Dropped`, dropReason: HOSTILE_REASON },
    ],
  });
  await seedCalls(db, ED);
  // One call charged to a story, so the cost-by-story table names it beside the edition-wide work.
  await db
    .insertInto("model_calls")
    .values({ edition_id: ED, story_id: "p2", role: "writer", kind: "chat", provider: "acme", model: "m1", camp: "us", input_tokens: 500, output_tokens: 100, tokens_estimated: false, characters: 0, cost_usd: 0.001, latency_ms: 100, outcome: "ok", error_class: null, note: null })
    .execute();
  await assembleEdition({ db, config: publisherConfig({ anchors: 1 }), outDir, editionId: ED, reason: "complete" });
  server = await serveStatic(outDir);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
  });
  page = await browser.newPage();
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  await page.goto(`${server.url}/${ED}/index.html`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await db?.destroy();
});

describe("edition page", () => {
  it("the player loads the MP3 (over HTTP ranges) and knows its duration", async () => {
    await page.waitForFunction(`${PLAYER}.readyState >= 1`, null, { timeout: 20_000 });
    const duration = await page.evaluate<number>(`${PLAYER}.duration`);
    expect(duration).toBeGreaterThan(9);
    expect(server.requests.some((r) => r.path.endsWith("/edition.mp3") && (r.status === 206 || r.status === 200))).toBe(true);
  });

  it("a chapter click seeks the player to that chapter's start", async () => {
    const buttons = page.locator("#chapters button[data-start]");
    expect(await buttons.count()).toBe(2);
    const start = Number(await buttons.nth(1).getAttribute("data-start"));
    expect(start).toBeGreaterThan(5);
    await buttons.nth(1).click();
    await page.waitForFunction(`Math.abs(${PLAYER}.currentTime - ${start}) < 1.5`, null, { timeout: 10_000 });
    const now = await page.evaluate<number>(`${PLAYER}.currentTime`);
    expect(now).toBeGreaterThanOrEqual(start - 0.05);
    // And back to the first story.
    const first = Number(await buttons.nth(0).getAttribute("data-start"));
    await buttons.nth(0).click();
    await page.waitForFunction(`Math.abs(${PLAYER}.currentTime - ${first}) < 1.5`, null, { timeout: 10_000 });
  });

  it("hostile feed text does not run and shows as text", async () => {
    expect(await page.evaluate("typeof window.__pwned")).toBe("undefined");
    const text = await page.locator("body").innerText();
    expect(text).toContain(HOSTILE_TITLE);
    expect(text).toContain(HOSTILE_SUMMARY);
    expect(text).toContain(HOSTILE_REASON);
    // The only script is the page's own; no element came from feed markup.
    expect(await page.locator("script").count()).toBe(1);
    expect(await page.locator("img, svg, b").count()).toBe(0);
    expect(await page.locator("[onerror], [onload]").count()).toBe(0);
  });

  it("source links are http(s) only, with rel=noopener nofollow", async () => {
    const links = await page.locator("#story-1 .sources a").evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href"), rel: a.getAttribute("rel") })));
    expect(links).toEqual([{ href: "https://ok.example.org/a", rel: "noopener nofollow" }]);
    const sources = await page.locator(".sources").first().innerText();
    expect(sources).toContain("Script link");
    expect(sources).toContain("Data link");
    expect(await page.locator('a[href^="javascript:"], a[href^="data:"]').count()).toBe(0);
  });

  it("shows the review record, what was left out, usage and the offline notice", async () => {
    await expect(page.locator("#offline-notice").isVisible()).resolves.toBe(true);
    const review = await page.locator("table.reviews").first().innerText();
    expect(review).toContain("cross_reviewer");
    expect(review).toContain("disagreement");
    expect(await page.locator("#left-out + .table-scroll table").innerText()).toContain("Dropped");
    const usage = await page.locator("table.usage").first().innerText();
    expect(usage).toContain("minimax");
    expect(usage).toContain("0.0045");
    // Cost by camp (collapsed: read its text): acme's us calls, minimax's cn speech.
    const byCamp = (await page.locator("details table.usage").first().textContent()) ?? "";
    expect(byCamp).toMatch(/us\s*3\s*1\s*1700.*0\.0031/s);
    expect(byCamp).toContain("cn");
    // Cost by story: the seeded edition-wide work, $0.0021 + $0.0045, and the second story's call.
    const byStory = await page.locator("table.cost-by-story").innerText();
    expect(byStory).toMatch(/Edition-wide[^\n]*0\.0066/);
    expect(byStory).toMatch(/Second story[^\n]*0\.0010/);
    expect(await page.locator("body").innerText()).toContain("Total cost: $0.0076");
  });

  it("the Content-Security-Policy allows only the page's own script, and nothing was blocked", async () => {
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).not.toContain("unsafe-inline");
    expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  });
});
