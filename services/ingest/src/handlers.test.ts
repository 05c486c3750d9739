// The ingest handler end to end on PGlite: fixtures served by the fake feed server, one feed
// missing, one aimed at a private address; the handler's commit, notes and events checked.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import { requestEdition } from "./editions/request.js";
import { decodeEvent, type EventOf } from "@newsroom/platform/events";
import { AlreadyProcessedError, createHandlerContext } from "@newsroom/platform/runner/context";
import { testConfig } from "../../../test/grpc/fixtures.js";
import { startFeedServer, type FeedServer } from "../../../test/fakes/feed-server.js";
import { freshPglite } from "../../../test/support/services.js";
import { ingestHandlers, storyId } from "./handlers.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../fixtures");
const NOW = new Date("2026-11-28T08:00:00Z");

let db: Db;
let server: FeedServer;
beforeAll(async () => {
  db = await freshPglite();
  server = await startFeedServer();
  server.route("/world-en.rss", { kind: "feed", body: readFileSync(join(FIXTURES, "world-en.rss")), etag: '"en-1"' });
  server.route("/tech.atom", { kind: "feed", body: readFileSync(join(FIXTURES, "tech.atom")), contentType: "application/atom+xml" });
  server.route("/world-zh.xml", { kind: "feed", body: readFileSync(join(FIXTURES, "world-zh.gb2312.xml")), contentType: "text/xml; charset=gb2312", gzip: true });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await db?.destroy();
});

function configWith(feeds: LoadedConfig["feeds"]): LoadedConfig {
  const base = testConfig();
  return { ...base, feeds, fetch: { ...base.fetch, allow_loopback: true, timeout_ms: 5_000 }, edition: { ...base.edition, window_hours: 24 } };
}

async function runIngest(config: LoadedConfig, editionId: string) {
  const meta = { editionId, storyId: "", idempotencyKey: `requested:${editionId}`, occurredAt: NOW };
  let working = 0;
  const ctx = createHandlerContext({ db, consumer: "ingest-edition-requested", meta, working: () => working++ });
  const [registration] = ingestHandlers({ config });
  const event = { meta, slot: 1, now: NOW, deadline: new Date(NOW.getTime() + 20 * 60_000) } as EventOf<"edition.requested">;
  await registration.handle(event as never, ctx);
  return { working };
}

async function outboxFor(editionId: string) {
  const rows = await db.selectFrom("outbox").selectAll().where("subject", "in", ["story.ingested", "edition.ingested"]).orderBy("id").execute();
  return rows
    .map((r) => ({ subject: r.subject, event: decodeEvent(r.subject as "story.ingested", r.payload) as EventOf<"story.ingested"> & Partial<EventOf<"edition.ingested">> }))
    .filter((r) => r.event.meta?.editionId === editionId);
}

describe("ingest handler", () => {
  const feeds = () => [
    { url: `${server.url}/world-en.rss` },
    { url: `${server.url}/tech.atom` },
    { url: `${server.url}/world-zh.xml`, timezone: "Asia/Shanghai" },
    { url: `${server.url}/missing.xml` },
    { url: "http://10.0.0.1/feed.xml" },
  ];

  it("stores candidate stories and their sources, records feed errors and out-of-window items, and emits the events in one commit", async () => {
    const config = configWith(feeds());
    const { editionId } = await requestEdition({ db, config, now: NOW });
    await runIngest(config, editionId);

    const edition = await db.selectFrom("editions").selectAll().where("id", "=", editionId).executeTakeFirstOrThrow();
    expect(edition.status).toBe("editing");

    const stories = await db.selectFrom("stories").selectAll().where("edition_id", "=", editionId).execute();
    expect(stories).toHaveLength(5);
    for (const s of stories) {
      expect(s.status).toBe("candidate");
      expect(s.id).toBe(storyId(editionId, s.cluster_key));
    }
    const starship = stories.find((s) => s.source_count === 3)!;
    expect(starship.title).toBe("Starship's seventh test flight: SpaceX catches the booster again");
    expect(starship.first_published.toISOString()).toBe("2026-11-28T05:00:00.000Z");
    expect(starship.language).toBe("en");
    const rail = stories.find((s) => s.title === "全国铁路旅客发送量创同期新高")!;
    expect(rail).toMatchObject({ language: "zh", source_count: 1 });
    expect(rail.first_published.toISOString()).toBe("2026-11-28T01:00:00.000Z"); // 09:00 Beijing time

    const sources = await db.selectFrom("sources").selectAll().where("story_id", "=", starship.id).orderBy("published_at").execute();
    expect(sources.map((s) => [s.feed_title, s.url, s.language, s.published_at.toISOString()])).toEqual([
      ["Example Tech Desk", "https://tech.example.org/news/starship-seventh-flight.html", "en", "2026-11-28T05:00:00.000Z"],
      ["Test Wire – World", "https://news.example.com/space/starship-flight-7?utm_source=rss&utm_medium=feed", "en", "2026-11-28T05:10:00.000Z"],
      ["测试新闻 国际", "https://news.example.cn/a/20261128/starship.htm", "zh", "2026-11-28T05:20:00.000Z"],
    ]);
    expect(sources[0].text).toBe("SpaceX's Starship completed its seventh test flight from Starbase, Texas.");
    expect(sources[1]).toMatchObject({ feed: `${server.url}/world-en.rss`, guid: "wire-1001", edition_id: editionId });
    const allSources = await db.selectFrom("sources").select("id").where("edition_id", "=", editionId).execute();
    expect(allSources).toHaveLength(8);

    const notes = edition.notes as { kind: string; feed?: string; error?: string; count?: number; items?: { title: string; reason: string }[] }[];
    const errors = notes.filter((n) => n.kind === "feed_error");
    expect(errors.map((n) => n.error)).toEqual([
      `feed ${server.url}/missing.xml: HTTP 404 Not Found`,
      "feed http://10.0.0.1/feed.xml: refused: resolves to private address 10.0.0.1 (set fetch.allow_private to allow)",
    ]);
    const out = notes.find((n) => n.kind === "out_of_window")!;
    expect(out.count).toBe(2);
    expect(out.items!.map((i) => [i.title, i.reason])).toEqual([
      ["City council approves new cycling lanes", "published 2026-11-20T09:00:00Z, 191.0 h before the edition's now (window 24 h)"],
      ["Museum reopens after renovation", "no usable date"],
    ]);

    const events = await outboxFor(editionId);
    const storyEvents = events.filter((e) => e.subject === "story.ingested");
    expect(storyEvents.map((e) => e.event.meta?.storyId).sort()).toEqual(stories.map((s) => s.id).sort());
    for (const e of storyEvents) expect(e.event.meta?.idempotencyKey).toBe(`ingested:${e.event.meta?.storyId}`);
    expect(storyEvents.find((e) => e.event.meta?.storyId === starship.id)!.event).toMatchObject({ sourceCount: 3, title: starship.title });
    const done = events.filter((e) => e.subject === "edition.ingested");
    expect(done).toHaveLength(1);
    expect(done[0].event).toMatchObject({ candidateCount: 5, meta: { idempotencyKey: `ingested:${editionId}` } });

    const progress = await db.selectFrom("edition_events").select("message").where("edition_id", "=", editionId).orderBy("id").execute();
    expect(progress.map((p) => p.message)).toContain("reading 5 feeds");
    expect(progress.map((p) => p.message)).toContain(`feed ${server.url}/world-en.rss: 5 items`);

    const state = await db.selectFrom("feed_state").selectAll().where("url", "=", `${server.url}/world-en.rss`).executeTakeFirstOrThrow();
    expect(state.etag).toBe('"en-1"');
  });

  it("is harmless on redelivery: the processed key refuses a second commit and nothing is duplicated", async () => {
    const config = configWith(feeds());
    const { editionId } = await requestEdition({ db, config, now: NOW });
    await runIngest(config, editionId);
    await expect(runIngest(config, editionId)).rejects.toThrow(AlreadyProcessedError);
    expect(await db.selectFrom("stories").select("id").where("edition_id", "=", editionId).execute()).toHaveLength(5);
    // The second run sent the stored ETag and got 304: the stored body was used.
    const en = server.requests.filter((r) => r.path === "/world-en.rss");
    expect(en.at(-1)).toMatchObject({ status: 304, headers: { "if-none-match": '"en-1"' } });
  });

  it("fails the edition with a note when every feed fails", async () => {
    const config = configWith([{ url: `${server.url}/missing.xml` }, { url: "http://10.0.0.1/feed.xml" }]);
    const { editionId } = await requestEdition({ db, config, now: NOW });
    await runIngest(config, editionId);
    const edition = await db.selectFrom("editions").selectAll().where("id", "=", editionId).executeTakeFirstOrThrow();
    expect(edition.status).toBe("failed");
    expect(edition.notes).toContainEqual(expect.objectContaining({ kind: "ingest_failed", message: "every feed failed (2); no stories" }));
    expect(await outboxFor(editionId)).toEqual([]);
  });
});
