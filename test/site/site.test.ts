// The listener site serving a published edition to Chromium and to a podcast client over real
// HTTP: `newsroom serve site` on the embedded default, byte ranges for seeking, captions, the
// CSP header, a phone-sized viewport without horizontal scroll, and axe in light and dark mode.
import { mkdtempSync, readFileSync } from "node:fs";
import { get } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@newsroom/platform/db/connect";
import { runServices, type RunningServices } from "@newsroom/platform/service/run";
import { assembleEdition } from "@newsroom/publisher/assemble";
import { servicesNamed } from "@newsroom/cli/services";
import { freshPglite } from "../support/services.js";
import { freePort, launchChromium, waitFor } from "./harness.js";
import { publisherConfig, seedCalls, seedEdition } from "../publisher/seed.js";

const ED = "2026-11-28-morning-site01";
/** The lineup review cell that made the page 1484 px wide on a phone: story ids joined with no space. */
const JOINED_IDS = Array.from({ length: 12 }, (_, i) => `story-${i}-a1b2c3d4e5f6`).join(",");
const PLAYER = `document.getElementById("player")`;
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let db: Db;
let outDir: string;
let running: RunningServices;
let base: string;
let browser: Browser;


beforeAll(async () => {
  db = await freshPglite();
  outDir = mkdtempSync(join(tmpdir(), "newsroom-site-"));
  await seedEdition(db, {
    id: ED,
    intro: [{ ms: 2000, rate: 22050 }],
    outro: [{ ms: 1000, rate: 22050 }],
    stories: [
      {
        id: "s1",
        rank: 1,
        status: "voiced",
        title: "Rates rise",
        segments: [{ ms: 3000, rate: 24000, text: "The central bank raised rates. Markets fell at the open." }],
        reviews: [{ role: "cross_reviewer", verdict: "approve", reason: "matches the sources", evidence: [JOINED_IDS] }],
      },
      { id: "s2", rank: 2, status: "voiced", title: "Second story", segments: [{ ms: 4000, rate: 32000 }] },
    ],
  });
  await seedCalls(db, ED);
  await assembleEdition({ db, config: publisherConfig({ anchors: 1 }), outDir, editionId: ED, reason: "complete" });
  await db.destroy();

  // The site exactly as `newsroom serve site` runs it: its own embedded database and bus.
  const port = await freePort();
  running = await runServices(servicesNamed(["site"]), {
    config: publisherConfig({ anchors: 1 }),
    env: { OUTPUT_DIR: outDir, DATA_DIR: join(outDir, "..", `${ED}-data-${process.pid}`), SITE_PORT: String(port), SITE_HOST: "127.0.0.1", GRPC_PORT: "0", GRPC_HOST: "127.0.0.1", LOG_LEVEL: "error" },
  });
  base = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

async function openPage(opts: { width: number; dark?: boolean }): Promise<{ page: Page; mp3Statuses: number[]; cspErrors: string[] }> {
  const page = await browser.newPage({ viewport: { width: opts.width, height: 800 }, colorScheme: opts.dark ? "dark" : "light" });
  const mp3Statuses: number[] = [];
  const cspErrors: string[] = [];
  page.on("response", (r) => r.url().endsWith("/edition.mp3") && mp3Statuses.push(r.status()));
  page.on("console", (m) => /Content Security Policy/i.test(m.text()) && cspErrors.push(m.text()));
  await page.goto(`${base}/${ED}/`);
  return { page, mp3Statuses, cspErrors };
}


/** A conditional GET as a podcast client sends it (fetch() would add Cache-Control: no-cache). */
function conditionalGet(url: string, etag: string): Promise<number> {
  return new Promise((resolve, reject) =>
    get(url, { headers: { "if-none-match": etag } }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on("error", reject),
  );
}

async function axeViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  // Injected over the DevTools protocol, so the page's CSP (which would refuse it) stays as served.
  await page.evaluate(axeSource);
  return page.evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) })))`);
}

describe("newsroom serve site", () => {
  it("Chromium plays the edition: the audio seeks with a 206 range response and the captions load", async () => {
    const { page, mp3Statuses, cspErrors } = await openPage({ width: 1280 });
    await waitFor(page, `${PLAYER}.readyState >= 1`, 20_000);
    await page.evaluate(`${PLAYER}.currentTime = 6`);
    await waitFor(page, `Math.abs(${PLAYER}.currentTime - 6) < 1`);
    expect(mp3Statuses).toContain(206);
    await page.evaluate(`${PLAYER}.textTracks[0].mode = "hidden"`);
    await waitFor(page, `${PLAYER}.querySelector("track").readyState === 2`);
    const cues = await page.evaluate<number>(`${PLAYER}.textTracks[0].cues.length`);
    expect(cues).toBeGreaterThan(1);
    expect(cspErrors).toEqual([]);
    await page.close();
  });

  it("sends a strict Content-Security-Policy and the usual security headers", async () => {
    const res = await fetch(`${base}/${ED}/index.html`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("fits a 390 px phone with no horizontal scroll, with a main landmark", async () => {
    const { page } = await openPage({ width: 390 });
    const widths = await page.evaluate<{ scroll: number; client: number }>(`({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })`);
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(await page.locator("main").count()).toBe(1);
    expect(await page.locator("body").innerText()).toContain("story-11-a1b2c3d4e5f6");
    await page.close();
  });

  it("on a 390 px phone, table cells keep their words whole: a wide table scrolls in its own box", async () => {
    const { page } = await openPage({ width: 390 });
    // Every word (a run of 2 to 24 characters without spaces) of every table cell is laid out on one
    // line; longer runs (joined ids, URLs in a model's evidence) may wrap anywhere.
    const split = await page.evaluate<string[]>(`(() => {
      const out = [];
      for (const cell of document.querySelectorAll("main td, main th")) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const m of node.textContent.matchAll(/(?<!\\S)\\S{2,24}(?!\\S)/g)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            if (lines.size > 1) out.push(m[0]);
          }
        }
      }
      return out;
    })()`);
    expect(split).toEqual([]);
    expect(await page.locator("main table").count()).toBeGreaterThan(0);
    expect(await page.locator(".table-scroll table").count()).toBe(await page.locator("main table").count());
    const widths = await page.evaluate<{ scroll: number; client: number }>(`({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })`);
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    await page.close();
  });

  it.each([false, true])("axe finds nothing serious or critical (dark mode: %s)", async (dark) => {
    const { page } = await openPage({ width: 1280, dark });
    const bad = (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(bad).toEqual([]);
    await page.close();
  });

  it("collects the listener API on the embedded default (PGlite, in-process bus) and its stats page passes axe", async () => {
    const statsOf = async () => ((await fetch(`${base}/api/v1/editions/${ED}/stats`)).json()) as Promise<{ started: number; completed: number; completion_rate: number | null }>;
    const before = await statsOf();
    const beacon = await fetch(`${base}/api/v1/listens`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8" }, // as navigator.sendBeacon sends a string
      body: JSON.stringify({ edition: ED, event: "complete", session: "embeddedembedded0001" }),
    });
    expect(beacon.status).toBe(204);
    const end = Date.now() + 15_000;
    let after = await statsOf();
    while (after.completed === before.completed && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      after = await statsOf();
    }
    expect([after.started, after.completed]).toEqual([before.started + 1, before.completed + 1]);
    for (const dark of [false, true]) {
      const page = await browser.newPage({ viewport: { width: 390, height: 800 }, colorScheme: dark ? "dark" : "light" });
      await page.goto(`${base}/${ED}/stats`);
      expect(await page.locator("main").count()).toBe(1);
      const widths = await page.evaluate<{ scroll: number; client: number }>(`({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })`);
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      expect((await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
      await page.close();
    }
  });

  it("answers a podcast client's HEAD and Range requests with validators and the right types", async () => {
    const mp3 = `${base}/${ED}/edition.mp3`;
    const head = await fetch(mp3, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("audio/mpeg");
    expect(head.headers.get("accept-ranges")).toBe("bytes");
    const size = Number(head.headers.get("content-length"));
    expect(size).toBeGreaterThan(1000);
    const etag = head.headers.get("etag")!;
    expect(etag).toBeTruthy();
    expect(head.headers.get("last-modified")).toBeTruthy();

    const tail = await fetch(mp3, { headers: { range: "bytes=-100" } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes ${size - 100}-${size - 1}/${size}`);
    expect((await tail.arrayBuffer()).byteLength).toBe(100);
    expect((await fetch(mp3, { headers: { range: `bytes=${size + 10}-` } })).status).toBe(416);
    expect(await conditionalGet(mp3, etag)).toBe(304);

    const types = await Promise.all(["transcript.vtt", "chapters.json", "../feeds/test-briefing.xml"].map(async (f) => (await fetch(`${base}/${ED}/${f}`)).headers.get("content-type")));
    expect(types).toEqual(["text/vtt; charset=utf-8", "application/json+chapters; charset=utf-8", "application/rss+xml; charset=utf-8"]);
  });

  it("gzips text but sends audio as it is, and refuses paths outside the folder", async () => {
    const page = await fetch(`${base}/${ED}/index.html`, { headers: { "accept-encoding": "gzip" } });
    expect(page.headers.get("content-encoding")).toBe("gzip");
    expect(await page.text()).toContain("<main");
    const mp3 = await fetch(`${base}/${ED}/edition.mp3`, { headers: { "accept-encoding": "gzip" } });
    expect(mp3.headers.get("content-encoding")).toBeNull();
    const escape = await fetch(`${base}/..%2f..%2fetc%2fpasswd`);
    expect([400, 403, 404]).toContain(escape.status);
    expect(await escape.text()).not.toContain("root:");
  });
});
