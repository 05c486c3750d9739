// Deadlines: overdue editions ship with what is ready, say what was left out and why, and are
// published once even when two replicas sweep at the same moment.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseRssFeed } from "feedsmith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@newsroom/platform/db/connect";
import { decodeEvent } from "@newsroom/platform/events";
import type { EditionDocument } from "@newsroom/publisher/edition-json";
import { storyDroppedNote } from "@newsroom/publisher/notes";
import { startDeadlineSweeper } from "@newsroom/publisher/sweeper";
import { postgresLedger } from "../router/support.js";
import { freshPglite, need } from "../support/services.js";
import { publisherConfig, seedEdition } from "./seed.js";
import { parseVtt } from "./vtt.js";

const config = publisherConfig({ anchors: 1 });
const past = () => new Date(Date.now() - 60_000);

describe("deadline sweeper (PGlite)", () => {
  let db: Db;
  let outDir: string;

  beforeAll(async () => {
    db = await freshPglite();
  }, 60_000);

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "newsroom-deadline-"));
    await seedEdition(db, {
      id: "late-1",
      deadlineAt: past(),
      intro: [{ ms: 1000, rate: 22050 }],
      // The outro was never written.
      stories: [
        { id: "a", rank: 1, status: "voiced", title: "Ready story", segments: [{ ms: 1500, rate: 24000 }, { ms: 700, rate: 24000 }] },
        { id: "b", rank: 2, status: "reviewing", title: "Still in review" },
        { id: "c", rank: 3, status: "dropped", title: "Unsupported story", dropReason: "no source supports its main claim" },
      ],
      notes: [storyDroppedNote("c", "factcheck", "no source supports its main claim")],
    });
    await seedEdition(db, { id: "late-2", deadlineAt: new Date(Date.now() - 30_000), stories: [{ id: "d", rank: 1, status: "voiced", title: "Only story", segments: [{ ms: 1200, rate: 32000 }] }] });
    await seedEdition(db, { id: "not-due", stories: [{ id: "e", rank: 1, status: "drafting", title: "Being written" }] });
    await seedEdition(db, { id: "empty", deadlineAt: past(), status: "editing", stories: [{ id: "f", rank: 1, status: "drafting", title: "Never finished" }] });
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
  });

  it("publishes overdue editions with what is ready and fails the one with nothing", async () => {
    let nudged = 0;
    const sweeper = startDeadlineSweeper({ db, config, outDir, intervalMs: 3_600_000, onCommitted: () => nudged++ });
    const results = await sweeper.sweep();
    await sweeper.stop();

    const byId = Object.fromEntries(results.map((r) => [r.editionId, r.outcome.status]));
    expect(byId).toEqual({ "late-1": "published", "late-2": "published", empty: "failed" });
    expect(nudged).toBe(2);

    const rows = Object.fromEntries((await db.selectFrom("editions").select(["id", "status", "notes"]).execute()).map((r) => [r.id, r]));
    expect(rows["not-due"].status).toBe("producing");
    expect(rows.empty.status).toBe("failed");
    expect(JSON.stringify(rows.empty.notes)).toContain("nothing was ready at the deadline");
    expect(existsSync(join(outDir, "empty"))).toBe(false);

    const events = (await db.selectFrom("outbox").select(["subject", "payload"]).execute()).map((r) => decodeEvent("edition.published", r.payload));
    expect(events.map((e) => [e.meta?.editionId, e.meta?.idempotencyKey, e.storyCount, e.leftOut])).toEqual([
      ["late-1", "published:late-1", 1, ["b", "c"]],
      ["late-2", "published:late-2", 1, []],
    ]);
  });

  it("edition.json says what was left out, at which stage and why", () => {
    const doc = JSON.parse(readFileSync(join(outDir, "late-1", "edition.json"), "utf8")) as EditionDocument;
    expect(doc.published_because).toBe("deadline");
    expect(doc.stories.map((s) => s.id)).toEqual(["a"]);
    expect(doc.intro).not.toBeNull();
    expect(doc.outro).toBeNull();
    expect(doc.left_out).toEqual([
      { id: "b", title: "Still in review", rank: 2, stage: "review", reason: "not ready at the deadline (still reviewing)" },
      { id: "c", title: "Unsupported story", rank: 3, stage: "factcheck", reason: "no source supports its main claim" },
    ]);
    const kinds = doc.notes.map((n) => n.kind);
    expect(kinds).toEqual(["story_dropped", "left_out", "published"]);
    expect(doc.notes[1].message).toContain("Still in review");
    // The audio is the intro plus story a: cues for its three segments, inside the duration.
    const cues = parseVtt(readFileSync(join(outDir, "late-1", "transcript.vtt"), "utf8"));
    expect(cues).toHaveLength(3);
    expect(cues[2].end * 1000).toBeLessThanOrEqual(doc.duration_ms + 1);
  });

  it("the feed and front page list every published edition, newest first", () => {
    const feed = parseRssFeed(readFileSync(join(outDir, "feeds", "test-briefing.xml"), "utf8"));
    expect(feed.items?.map((i) => i.guid?.value).sort()).toEqual(["late-1", "late-2"]);
    const index = readFileSync(join(outDir, "index.html"), "utf8");
    expect(index).toContain('href="late-1/index.html"');
    expect(index).toContain('href="late-2/index.html"');
  });
});

describe("deadline sweeper, two replicas on Postgres", () => {
  it("publishes an overdue edition exactly once when two sweepers race", async () => {
    if (!(await need("postgres"))) return;
    // One pool of five connections: the two sweepers' transactions run on separate connections.
    // (postgresLedger is freshPostgres whose drop waits until the connections are really closed.)
    const pgdb = await postgresLedger();
    try {
      const outDir = mkdtempSync(join(tmpdir(), "newsroom-race-"));
      await seedEdition(pgdb.db, { id: "race", deadlineAt: past(), stories: [{ id: "r1", rank: 1, status: "voiced", title: "Raced story", segments: [{ ms: 800, rate: 24000 }] }] });
      const a = startDeadlineSweeper({ db: pgdb.db, config, outDir, intervalMs: 3_600_000 });
      const b = startDeadlineSweeper({ db: pgdb.db, config, outDir, intervalMs: 3_600_000 });
      const [ra, rb] = await Promise.all([a.sweep(), b.sweep()]);
      await Promise.all([a.stop(), b.stop()]);
      const statuses = [...ra, ...rb].map((r) => r.outcome.status).sort();
      expect(statuses).toEqual(["published", "skipped"]);
      const outbox = await pgdb.db.selectFrom("outbox").select("subject").execute();
      expect(outbox).toEqual([{ subject: "edition.published" }]);
      expect((await pgdb.db.selectFrom("editions").select("status").executeTakeFirstOrThrow()).status).toBe("published");
    } finally {
      await pgdb.drop();
    }
  });
});

