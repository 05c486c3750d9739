// The producer end to end on PGlite: handlers publish a complete edition once; the MP3, its
// chapters, the transcript, chapters JSON, edition.json and the feed agree with the rows.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseRssFeed } from "feedsmith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@newsroom/platform/db/connect";
import { decodeEvent, type EventName, type EventOf } from "@newsroom/platform/events";
import type { Registration } from "@newsroom/platform/handler";
import { createHandlerContext } from "@newsroom/platform/runner/context";
import type { EditionDocument } from "@newsroom/publisher/edition-json";
import { podcastGuid } from "@newsroom/publisher/show";
import { escapeHtml } from "@newsroom/publisher/html";
import { publisherHandlers } from "@newsroom/publisher/roles/producer";
import { freshPglite } from "../support/services.js";
import { addSegments, HOSTILE_SUMMARY, HOSTILE_TITLE, publisherConfig, seedCalls, seedEdition, segmentsMs, type SeedSegment } from "./seed.js";
import { parseVtt } from "./vtt.js";

const ED = "2026-11-28-morning-abc123";
const intro: SeedSegment[] = [{ ms: 1200, rate: 22050, text: "Good morning." }];
const story1: SeedSegment[] = [
  { ms: 1500, rate: 24000, speaker: "anchor_a", text: "Rates rose <today> & markets fell." },
  { ms: 1000, rate: 24000, speaker: "anchor_b", text: "Bonds --> rallied.", amplitude: 0.05 },
];
const story2: SeedSegment[] = [{ ms: 2000, rate: 32000, speaker: "anchor_b", text: "A new chip was announced.", amplitude: 0.8 }];
const outro: SeedSegment[] = [{ ms: 800, rate: 22050, text: "That was the briefing." }];

let db: Db;
let outDir: string;
const config = publisherConfig({ anchors: 2 });

async function deliver<N extends EventName>(reg: Registration, name: N, body: Omit<EventOf<N>, "meta">, meta: { storyId?: string; key: string }) {
  expect(reg.event).toBe(name);
  const ctx = createHandlerContext({ db, consumer: reg.consumer, meta: { editionId: ED, storyId: meta.storyId ?? "", idempotencyKey: meta.key, occurredAt: new Date() } });
  await (reg.handle as (e: unknown, c: typeof ctx) => Promise<void>)({ ...body, meta: ctx.meta }, ctx);
  await ctx.finish();
}

beforeAll(async () => {
  db = await freshPglite();
}, 60_000);

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "newsroom-pub-"));
  await seedEdition(db, {
    id: ED,
    intro,
    outro,
    stories: [
      {
        id: "s1",
        rank: 1,
        status: "voiced",
        title: HOSTILE_TITLE,
        summary: HOSTILE_SUMMARY,
        segments: story1,
        sources: [
          { title: "Central bank statement", url: "https://bank.example.org/statement" },
          { title: "Sneaky link", url: "javascript:window.__pwned=1" },
        ],
        reviews: [
          { role: "fact_checker", verdict: "supported", reason: "Every claim is in the statement.", evidence: [{ quote: "rates rose", url: "https://bank.example.org/statement" }], provider: "offline", camp: "local" },
          { role: "cross_reviewer", verdict: "revise", reason: "The bond claim is not in the sources.", disagreement: true },
          { role: "freshness_judge", verdict: "old news", reason: "Looks old.", overruled: "no evidence was cited" },
        ],
      },
      { id: "s2", rank: 2, status: "approved", title: "Chip maker unveils a new processor" },
      { id: "s3", rank: 3, status: "reviewing", title: "A story that fails review" },
      { id: "c1", rank: null, status: "dropped", title: "Week-old news", dropReason: "published before the window" },
      { id: "c2", rank: null, status: "candidate", title: "Not chosen" },
    ],
  });
  await seedCalls(db, ED);
}, 60_000);

afterAll(async () => {
  await db?.destroy();
});

describe("publisher handlers", () => {
  it("wait while stories are pending, then publish exactly once when the last one is in", async () => {
    const [voiced, dropped] = publisherHandlers({ config, outDir });
    expect(voiced.consumer).toBe("publisher-segment-voiced");
    expect(dropped.consumer).toBe("publisher-story-dropped");

    await deliver(voiced, "segment.voiced", { scriptId: "s1-v1", segmentCount: 2, durationMs: 2500 }, { storyId: "s1", key: "voiced:s1-v1" });
    expect((await db.selectFrom("editions").select("status").where("id", "=", ED).executeTakeFirstOrThrow()).status).toBe("producing");

    // Story 2 gets its audio; story 3 is still in review, so nothing is published yet.
    await addSegments(db, ED, "s2", "s2-v1", story2);
    await db.updateTable("stories").set({ status: "voiced" }).where("id", "=", "s2").execute();
    await deliver(voiced, "segment.voiced", { scriptId: "s2-v1", segmentCount: 1, durationMs: 2000 }, { storyId: "s2", key: "voiced:s2-v1" });
    expect(existsSync(join(outDir, ED))).toBe(false);

    // The fact-check service drops story 3 (its own commit), then tells the producer.
    await db.updateTable("stories").set({ status: "dropped", drop_reason: "claims not supported by any source" }).where("id", "=", "s3").execute();
    await deliver(dropped, "story.dropped", { stage: "factcheck", reason: "claims not supported by any source" }, { storyId: "s3", key: "dropped:s3" });

    const row = await db.selectFrom("editions").selectAll().where("id", "=", ED).executeTakeFirstOrThrow();
    expect(row.status).toBe("published");
    expect(row.location).toBe(join(outDir, ED));
    expect(row.duration_ms).toBeGreaterThan(0);
    expect(row.published_at).not.toBeNull();

    // A late or redelivered event (another replica) finds it published and adds nothing.
    await deliver(voiced, "segment.voiced", { scriptId: "s2-v1", segmentCount: 1, durationMs: 2000 }, { storyId: "s2", key: "voiced:s2-v1:again" });
    const outbox = await db.selectFrom("outbox").selectAll().where("subject", "=", "edition.published").execute();
    expect(outbox).toHaveLength(1);
    const event = decodeEvent("edition.published", outbox[0].payload);
    expect(event.meta?.idempotencyKey).toBe(`published:${ED}`);
    expect(event).toMatchObject({ location: join(outDir, ED), durationMs: row.duration_ms, storyCount: 2, leftOut: ["s3"] });
  });
});

describe("an edition whose every story is dropped", () => {
  it("fails at once, saying why, instead of waiting for its deadline", async () => {
    const id = "2026-11-28-evening-0dd000";
    await seedEdition(db, {
      id,
      intro,
      outro,
      stories: [
        { id: "d1", rank: 1, status: "dropped", title: "One", dropReason: "could not be reviewed: every model failed (missing_api_key)" },
        { id: "d2", rank: 2, status: "reviewing", title: "Two" },
      ],
    });
    const [, dropped] = publisherHandlers({ config, outDir });
    const ctx = createHandlerContext({ db, consumer: dropped.consumer, meta: { editionId: id, storyId: "d2", idempotencyKey: "dropped:d2", occurredAt: new Date() } });
    await db.updateTable("stories").set({ status: "dropped", drop_reason: "could not be reviewed: every model failed (missing_api_key)" }).where("id", "=", "d2").execute();
    await (dropped.handle as (e: unknown, c: typeof ctx) => Promise<void>)({ stage: "factcheck", reason: "could not be reviewed", meta: ctx.meta }, ctx);
    await ctx.finish();

    const row = await db.selectFrom("editions").select(["status", "notes"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.status).toBe("failed");
    expect(JSON.stringify(row.notes)).toMatch(/every story was left out: .*dropped because: could not be reviewed: every model failed \(missing_api_key\)/);
    const published = await db.selectFrom("outbox").select("payload").where("subject", "=", "edition.published").execute();
    expect(published.map((r) => decodeEvent("edition.published", r.payload).meta?.editionId)).not.toContain(id);
  });
});

describe("published files", () => {
  const file = (name: string) => join(outDir, ED, name);
  const probe = () =>
    JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_format", "-show_streams", "-show_chapters", "-of", "json", file("edition.mp3")], { encoding: "utf8" }));
  const doc = () => JSON.parse(readFileSync(file("edition.json"), "utf8")) as EditionDocument;

  it("MP3: ffprobe reads it; its length is the segments plus the pauses, within 1 s; one rate", () => {
    const p = probe();
    expect(p.streams).toHaveLength(1);
    expect(p.streams[0]).toMatchObject({ codec_name: "mp3", sample_rate: "24000", channels: 1 });
    const segments = segmentsMs([...intro, ...story1, ...story2, ...outro]);
    const pauses = 3 * 700 + 1 * 200; // between the four parts, and between story 1's two clips
    expect(Math.abs(Number(p.format.duration) * 1000 - (segments + pauses))).toBeLessThan(1000);
    expect(Math.abs(doc().duration_ms - (segments + pauses))).toBeLessThan(5);
    expect(p.format.tags).toMatchObject({ title: doc().title, artist: "Newsroom Tests", album: "Test Briefing" });
    // Behind the ID3 tag the Info frame gives the length: ffprobe reads it instead of estimating from the bitrate.
    const warnings = spawnSync("ffprobe", ["-v", "warning", "-show_format", file("edition.mp3")], { encoding: "utf8" }).stderr;
    expect(warnings).not.toMatch(/estimat/i);
  });

  it("MP3 chapters (CHAP/CTOC) are the intro, the stories and the outro, in order, where edition.json says they start", () => {
    const all = probe().chapters as { start_time: string; end_time: string; tags: { title: string } }[];
    const d = doc();
    const parts = [d.intro, ...d.stories, d.outro].filter((p) => p !== null);
    expect(all).toHaveLength(parts.length);
    expect(Number(all[0].start_time)).toBe(0);
    // The greetings' chapters are titled in the edition's language (English here).
    expect([all[0].tags.title, all.at(-1)!.tags.title]).toEqual(["Intro", "Outro"]);
    expect(Number(all.at(-1)!.end_time) * 1000).toBeCloseTo(parts.at(-1)!.end_ms, -1);
    const chapters = all.slice(1, 1 + d.stories.length);
    const stories = d.stories;
    expect(chapters.map((c) => c.tags.title)).toEqual([HOSTILE_TITLE, "Chip maker unveils a new processor"]);
    expect(stories.map((s) => s.id)).toEqual(["s1", "s2"]);
    chapters.forEach((c, i) => {
      expect(Number(c.start_time) * 1000).toBeCloseTo(stories[i].start_ms, -1);
      expect(Number(c.end_time) * 1000).toBeCloseTo(stories[i].end_ms, -1);
    });
    // Intro first: story 1 starts after the intro and one pause.
    expect(stories[0].start_ms).toBe(1200 + 700);
  });

  it("transcript.vtt parses: one cue per segment, times increasing and inside the audio, text escaped, two voices", () => {
    const cues = parseVtt(readFileSync(file("transcript.vtt"), "utf8"));
    expect(cues).toHaveLength(5);
    const duration = doc().duration_ms / 1000;
    cues.forEach((c, i) => {
      expect(c.end).toBeGreaterThan(c.start);
      expect(c.end).toBeLessThanOrEqual(duration + 0.001);
      if (i) expect(c.start).toBeGreaterThanOrEqual(cues[i - 1].end);
    });
    // Voice tags carry the anchors' configured names, not the personas.
    expect(cues[1].text).toBe("<v Maya>Rates rose &lt;today&gt; &amp; markets fell.");
    expect(cues[2].text).toBe("<v Tom>Bonds --&gt; rallied.");
    expect(doc().anchors).toEqual([
      { persona: "anchor_a", name: "Maya", role: "lead" },
      { persona: "anchor_b", name: "Tom", role: "co-host" },
    ]);
    const page = readFileSync(file("index.html"), "utf8");
    expect(page).toContain("With Maya (lead) and Tom (co-host)");
    expect(page).toMatch(/<span class="speaker">Tom:<\/span>Bonds/);
    expect(cues[1].start * 1000).toBeCloseTo(doc().stories[0].start_ms, -1);
  });

  it("chapters (JSON and ID3) and caption cues start and end where the decoded audio does, within a frame", () => {
    // What a player plays: FFmpeg's decoder, which drops the delay and padding the LAME tag gives.
    const pcm = execFileSync("ffmpeg", ["-v", "error", "-i", file("edition.mp3"), "-f", "s16le", "-ac", "1", "-ar", "24000", "-"], { maxBuffer: 64 << 20 });
    const { starts, ends } = soundSpans(pcm, 24000);
    // One span of sound per segment; the pauses between them are silence.
    expect(starts).toHaveLength(5);
    const near = (seconds: number, heard: number[]) => Math.min(...heard.map((h) => Math.abs(h - seconds)));
    const FRAME = 576 / 24000; // one MPEG-2 frame; the encoder delay alone is 576 + 529 samples
    const cues = parseVtt(readFileSync(file("transcript.vtt"), "utf8"));
    cues.forEach((c, i) => {
      expect(Math.abs(c.start - starts[i])).toBeLessThan(FRAME);
      expect(Math.abs(c.end - ends[i])).toBeLessThan(FRAME);
    });
    const json = JSON.parse(readFileSync(file("chapters.json"), "utf8")).chapters as { startTime: number; endTime: number }[];
    const id3 = (probe().chapters as { start_time: string; end_time: string }[]).map((c) => ({ startTime: Number(c.start_time), endTime: Number(c.end_time) }));
    for (const chapters of [json, id3]) {
      expect(chapters).toHaveLength(4);
      for (const c of chapters) {
        expect(near(c.startTime, starts)).toBeLessThan(FRAME);
        expect(near(c.endTime, ends)).toBeLessThan(FRAME);
      }
    }
  });

  it("chapters.json is Podcasting 2.0 chapters 1.2.0 with the stories and their first http source", () => {
    const ch = JSON.parse(readFileSync(file("chapters.json"), "utf8"));
    expect(ch.version).toBe("1.2.0");
    expect(ch.chapters.slice(1, 3).map((c: { title: string }) => c.title)).toEqual([HOSTILE_TITLE, "Chip maker unveils a new processor"]);
    expect(ch.chapters[0]).toMatchObject({ startTime: 0 });
    expect(ch.chapters[0].url).toBeUndefined();
    expect(ch.chapters[1]).toMatchObject({ startTime: doc().stories[0].start_ms / 1000, url: "https://bank.example.org/statement" });
    expect(ch.chapters[1].startTime).toBeGreaterThan(ch.chapters[0].startTime);
  });

  it("edition.json has stories with sources and every review, what was left out and why, usage by provider and camp", () => {
    const d = doc();
    expect(d.published_because).toBe("complete");
    const s1 = d.stories[0];
    expect(s1).toMatchObject({ rank: 1, title: HOSTILE_TITLE, summary: HOSTILE_SUMMARY, disagreement: true });
    expect(s1.script.lines.length).toBeGreaterThan(0);
    expect(s1.sources.map((s) => s.url)).toEqual(["https://bank.example.org/statement", "javascript:window.__pwned=1"]);
    expect(s1.reviews.map((r) => [r.role, r.verdict, r.disagreement, r.overruled])).toEqual([
      ["fact_checker", "supported", false, false],
      ["cross_reviewer", "revise", true, false],
      ["freshness_judge", "old news", false, true],
    ]);
    expect(s1.reviews[0]).toMatchObject({ model: "m1", camp: "local", evidence: [{ quote: "rates rose" }], script_version: 1 });
    expect(s1.reviews[2].overruled_reason).toBe("no evidence was cited");
    expect(d.left_out).toEqual([{ id: "s3", title: "A story that fails review", rank: 3, stage: "factcheck", reason: "claims not supported by any source" }]);
    expect(d.dropped_before_lineup).toEqual([expect.objectContaining({ id: "c1", reason: "published before the window" })]);
    expect(d.offline).toEqual({ used: true, providers: ["offline"] });
    const chat = d.usage.by_provider.filter((r) => r.kind === "chat");
    expect(chat.find((r) => r.provider === "acme")).toMatchObject({ camp: "us", calls: 2, failed_calls: 1, input_tokens: 1200, output_tokens: 300, cost_usd: 0.0021 });
    expect(chat.find((r) => r.provider === "offline")).toMatchObject({ camp: "local", tokens_estimated: true });
    expect(d.usage.by_provider.find((r) => r.kind === "tts" && r.provider === "minimax")).toMatchObject({ characters: 450, cost_usd: 0.0045 });
    expect(d.usage.by_camp.find((r) => r.kind === "tts" && r.camp === "local")).toMatchObject({ characters: 200, calls: 1 });
    expect(d.usage.total_cost_usd).toBeCloseTo(0.0066, 6);
    expect(d.notes.map((n) => n.kind)).toEqual(["offline", "story_dropped", "published"]);
    expect(d.audio).toMatchObject({ file: "edition.mp3", bytes: statSync(file("edition.mp3")).size, sample_rate: 24000 });
  });

  it("the show's feed parses with feedsmith and carries what podcast apps require", () => {
    const xml = readFileSync(join(outDir, "feeds", "test-briefing.xml"), "utf8");
    const feed = parseRssFeed(xml);
    expect(feed.title).toBe("Test Briefing");
    expect(feed.itunes).toMatchObject({ author: "Newsroom Tests", image: "https://pod.example.org/cover.png", explicit: false, categories: [{ text: "News" }] });
    expect(feed.podcast?.guid).toBe(podcastGuid("https://pod.example.org/briefing/feeds/test-briefing.xml"));
    expect(feed.items).toHaveLength(1);
    const item = feed.items![0];
    const base = `https://pod.example.org/briefing/${ED}`;
    expect(item.guid).toEqual({ value: ED, isPermaLink: false });
    expect(item.enclosures).toEqual([{ url: `${base}/edition.mp3`, length: statSync(file("edition.mp3")).size, type: "audio/mpeg" }]);
    expect(item.itunes?.duration).toBe(Math.round(doc().duration_ms / 1000));
    expect(item.podcast?.transcripts).toEqual([expect.objectContaining({ url: `${base}/transcript.vtt`, type: "text/vtt" })]);
    expect(item.podcast?.chapters).toEqual({ url: `${base}/chapters.json`, type: "application/json+chapters" });
    expect(new Date(item.pubDate as string).getTime()).toBeGreaterThan(0);
    // Apps render the description as HTML: the hostile title is escaped text inside it.
    expect(item.description).toContain(escapeHtml(HOSTILE_TITLE));
    expect(item.description).not.toContain("<script>");
    expect(item.description).toMatch(/^<ol><li>/);
  });

  it("podcast:guid follows the namespace's UUIDv5 rule", () => {
    // The example given by the Podcasting 2.0 namespace documentation.
    expect(podcastGuid("https://mp3s.nashownotes.com/pc20rss.xml")).toBe("917393e3-1b1e-5cef-ace4-edaa54e1f810");
  });
});

/**
 * Where sound starts and stops in decoded 16-bit PCM: 5 ms windows louder than -40 dBFS are sound;
 * sound after 100 ms of silence starts a span, and 100 ms of silence ends it (the pauses between
 * segments are 200 ms or more).
 */
function soundSpans(pcm: Buffer, rate: number): { starts: number[]; ends: number[] } {
  const LOUD = 0.01;
  const sample = (i: number) => Math.abs(pcm.readInt16LE(i * 2)) / 32768;
  const win = Math.round(rate * 0.005);
  const windows = Math.floor(pcm.length / 2 / win);
  const quietRun = Math.round(0.1 / 0.005);
  const starts: number[] = [];
  const ends: number[] = [];
  let quiet = quietRun;
  let lastLoud = -1;
  for (let w = 0; w < windows; w++) {
    const from = w * win;
    let first = -1;
    for (let i = from; i < from + win; i++) if (sample(i) > LOUD) (first = first < 0 ? i : first), (lastLoud = i + 1);
    if (first >= 0) {
      if (quiet >= quietRun) starts.push(first / rate);
      quiet = 0;
    } else if (++quiet === quietRun && lastLoud >= 0) ends.push(lastLoud / rate);
  }
  if (quiet < quietRun) ends.push(lastLoud / rate);
  return { starts, ends };
}
