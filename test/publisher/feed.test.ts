// Feeds that podcast directories accept, read by a real parser (Debian's python3-feedparser) and
// checked against the tags Apple Podcasts and Podcasting 2.0 require: two shows in one output
// folder get two feeds, each show keeps its podcast:guid, the cover is a 3000x3000 PNG.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseRssFeed } from "feedsmith";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig, type LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import { showSlug } from "@newsroom/platform/editions/show-slug";
import { assembleEdition } from "@newsroom/publisher/assemble";
import { loadCatalog } from "@newsroom/publisher/catalog";
import type { EditionDocument } from "@newsroom/publisher/edition-json";
import { freshPglite } from "../support/services.js";
import { seedEdition } from "./seed.js";

/** Debian's python3 (the one python3-feedparser installs into), not whatever python3 is first on PATH. */
const DEBIAN_PYTHON = "/usr/bin/python3";

function showConfig(opts: { title: string; slug?: string; baseUrl?: string; image?: string; explicit?: boolean }): LoadedConfig {
  return parseConfig(
    `
edition: {language: en, timezone: Asia/Shanghai, anchors: 1}
feeds: [{file: feed.xml}]
providers:
  offline: {kind: offline, camp: local}
allow_single_camp: true
roles:
  default: [offline/extractive]
podcast:
  title: ${JSON.stringify(opts.title)}
  ${opts.slug ? `slug: ${opts.slug}` : ""}
  author: Newsroom Tests
  owner: {name: Desk Editor, email: desk@pod.example.org}
  ${opts.baseUrl ? `base_url: "${opts.baseUrl}"` : ""}
  ${opts.image ? `image: "${opts.image}"` : ""}
  explicit: ${opts.explicit ?? false}
`,
    "/tmp/newsroom-test/newsroom.yaml",
    {},
  );
}

interface Parsed {
  bozo: boolean;
  title: string;
  image: string | null;
  itunes_image: string | null;
  owner: { name?: string; email?: string } | null;
  entries: { id: string; enclosure: string; length: string; type: string; published: string }[];
}

/** feedparser's reading of a feed: what a podcast app built on it would see. */
function feedparser(path: string): Parsed {
  const script = `
import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
f = d.feed
print(json.dumps({
  "bozo": bool(d.bozo),
  "title": f.get("title"),
  "image": (f.get("image") or {}).get("href"),
  "itunes_image": (f.get("image") or {}).get("href"),
  "owner": f.get("publisher_detail"),
  "entries": [{"id": e.get("id"), "enclosure": e.enclosures[0].href, "length": e.enclosures[0].length, "type": e.enclosures[0].type,
               "published": e.get("published")} for e in d.entries],
}))
`;
  return JSON.parse(execFileSync(DEBIAN_PYTHON, ["-c", script, path], { encoding: "utf8" }));
}

let db: Db;
let outDir: string;
const morning = showConfig({ title: "Morning Desk", baseUrl: "https://pod.example.org/news/" });
const evening = showConfig({ title: "Evening Desk", slug: "evening", baseUrl: "https://pod.example.org/news/", image: "https://cdn.example.org/evening.png", explicit: true });

async function publish(config: LoadedConfig, id: string): Promise<EditionDocument> {
  await seedEdition(db, { id, stories: [{ id: `${id}-s1`, rank: 1, status: "voiced", title: `Story of ${id}`, segments: [{ ms: 1500, rate: 24000 }] }] });
  const { dir } = await assembleEdition({ db, config, outDir, editionId: id, reason: "complete" });
  await db.updateTable("editions").set({ status: "published", published_at: new Date(), show_slug: showSlug(config) }).where("id", "=", id).execute();
  return JSON.parse(readFileSync(join(dir, "edition.json"), "utf8"));
}

beforeAll(async () => {
  db = await freshPglite();
  outDir = mkdtempSync(join(tmpdir(), "newsroom-feeds-"));
  await publish(morning, "m-1");
  await publish(evening, "e-1");
  await publish(morning, "m-2");
}, 120_000);

afterAll(async () => {
  await db?.destroy();
});

describe("a feed directories accept", () => {
  it("two shows in one folder get two feeds, each with only its own episodes", () => {
    const m = feedparser(join(outDir, "feeds", "morning-desk.xml"));
    const e = feedparser(join(outDir, "feeds", "evening.xml"));
    expect(m.bozo).toBe(false);
    expect(e.bozo).toBe(false);
    expect(m.title).toBe("Morning Desk");
    expect(m.entries.map((x) => x.id).sort()).toEqual(["m-1", "m-2"]);
    expect(e.entries.map((x) => x.id)).toEqual(["e-1"]);
  });

  it("a show's catalog counts as missing only its own editions that are not in the folder, never another show's", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "newsroom-feeds-elsewhere-"));
    expect((await loadCatalog(db, elsewhere, { slug: "evening", title: "Evening Desk" })).missing).toEqual(["e-1"]);
    expect((await loadCatalog(db, outDir, { slug: "evening", title: "Evening Desk" })).missing).toEqual([]);
  });

  it("the folder's front page lists both shows, each with its own feed and editions, whichever published last", () => {
    const index = readFileSync(join(outDir, "index.html"), "utf8");
    const sections = [...index.matchAll(/<section aria-label="([^"]*)">([\s\S]*?)<\/section>/g)].map(([, title, body]) => ({ title, body }));
    // The show published last comes first; each section has only its own editions.
    expect(sections.map((x) => x.title)).toEqual(["Morning Desk", "Evening Desk"]);
    const links = (body: string) => [...body.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links(sections[0].body)).toEqual(["feeds/morning-desk.xml", "m-2/index.html", "m-1/index.html"]);
    expect(links(sections[1].body)).toEqual(["feeds/evening.xml", "e-1/index.html"]);
    expect(sections[1].body).toContain("https://pod.example.org/news/feeds/evening.xml");
    expect(index).toContain(`<link rel="alternate" type="application/rss+xml" title="Evening Desk" href="feeds/evening.xml">`);
  });

  // itunes:explicit is Apple's true/false (checked on the XML below): feedparser 6.0.10 maps only
  // "yes" and "clean" to a boolean and reads true/false and no alike as None.
  it("feedparser reads an absolute public enclosure, the cover and the owner", () => {
    const m = feedparser(join(outDir, "feeds", "morning-desk.xml"));
    for (const entry of m.entries) {
      const url = new URL(entry.enclosure);
      expect(url.protocol).toBe("https:");
      expect(url.hostname).toBe("pod.example.org");
      expect(entry.type).toBe("audio/mpeg");
      expect(Number(entry.length)).toBeGreaterThan(1000);
    }
    expect(m.itunes_image).toMatch(/^https:\/\/pod\.example\.org\/news\/feeds\/morning-desk-[0-9a-f]{8}\.png$/);
    expect(m.owner).toMatchObject({ name: "Desk Editor", email: "desk@pod.example.org" });
    const e = feedparser(join(outDir, "feeds", "evening.xml"));
    expect(e.itunes_image).toBe("https://cdn.example.org/evening.png");
  });

  it("has every tag Apple Podcasts and Podcasting 2.0 require", () => {
    const xml = readFileSync(join(outDir, "feeds", "morning-desk.xml"), "utf8");
    const feed = parseRssFeed(xml);
    // Apple: title, description, itunes:image, language, itunes:category, itunes:explicit; per episode title, enclosure, guid.
    expect(feed.title && feed.description && feed.language).toBeTruthy();
    expect(feed.itunes?.image).toBeTruthy();
    expect(feed.itunes?.categories?.length).toBeGreaterThan(0);
    expect(xml).toMatch(/<itunes:explicit>false<\/itunes:explicit>/);
    expect(readFileSync(join(outDir, "feeds", "evening.xml"), "utf8")).toMatch(/<itunes:explicit>true<\/itunes:explicit>/);
    expect(xml).not.toMatch(/<itunes:explicit>(yes|no)</);
    expect(feed.image?.url).toBe(feed.itunes?.image);
    expect(feed.itunes?.owner).toEqual({ name: "Desk Editor", email: "desk@pod.example.org" });
    for (const item of feed.items ?? []) {
      expect(item.title).toBeTruthy();
      expect(item.guid?.value).toBeTruthy();
      expect(item.enclosures?.[0]).toMatchObject({ type: "audio/mpeg" });
    }
    // Podcasting 2.0: podcast:guid and podcast:locked.
    expect(feed.podcast?.guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(feed.podcast?.locked).toBeDefined();
  });

  it("pubDate is the edition's air time, not when it was assembled", () => {
    const m = feedparser(join(outDir, "feeds", "morning-desk.xml"));
    for (const entry of m.entries) expect(new Date(entry.published).toISOString()).toBe(new Date("2026-11-28T07:00:00+08:00").toISOString());
  });

  it("podcast:guid is unique per show and kept when the base URL moves", async () => {
    const guid = (file: string) => parseRssFeed(readFileSync(join(outDir, "feeds", file), "utf8")).podcast?.guid;
    const before = guid("morning-desk.xml");
    expect(before).not.toBe(guid("evening.xml"));
    const moved = showConfig({ title: "Morning Desk", baseUrl: "https://new-host.example.net/pod/" });
    const doc = await publish(moved, "m-3");
    expect(guid("morning-desk.xml")).toBe(before);
    expect(doc.show).toMatchObject({ slug: "morning-desk", podcast_guid: before, feed: { title: "Morning Desk", url: "https://new-host.example.net/pod/feeds/morning-desk.xml" } });
  });

  it("generates a 3000x3000 RGB PNG cover when podcast.image is unset", async () => {
    const [cover] = readFileSync(join(outDir, "feeds", "morning-desk.xml"), "utf8").match(/feeds\/morning-desk-[0-9a-f]{8}\.png/)!;
    const meta = await sharp(join(outDir, cover)).metadata();
    expect(meta).toMatchObject({ format: "png", width: 3000, height: 3000, channels: 3 });
  });

  it("edition.json and the page name the feed by title and URL, never a path on the server", () => {
    const doc = JSON.parse(readFileSync(join(outDir, "m-1", "edition.json"), "utf8")) as EditionDocument;
    const text = JSON.stringify(doc);
    expect(text).not.toContain(outDir);
    expect(text).not.toContain("/tmp/");
    for (const s of doc.stories.flatMap((x) => x.sources)) expect(s.feed === null || /^https?:\/\//.test(s.feed)).toBe(true);
    const page = readFileSync(join(outDir, "m-1", "index.html"), "utf8");
    expect(page).toContain(`<a href="https://pod.example.org/news/feeds/morning-desk.xml">Morning Desk</a>`);
  });

  it("warns at start when podcast.base_url is a loopback default, and the page says so", async () => {
    const local = showConfig({ title: "Local Desk" });
    expect(local.warnings.join("\n")).toMatch(/podcast\.base_url is http:\/\/localhost:8080\/, a loopback address/);
    expect(morning.warnings.join("\n")).not.toMatch(/base_url/);
    await publish(local, "l-1");
    expect(readFileSync(join(outDir, "l-1", "index.html"), "utf8")).toContain(`id="loopback-notice"`);
    expect(readFileSync(join(outDir, "m-1", "index.html"), "utf8")).not.toContain(`id="loopback-notice"`);
  });
});
