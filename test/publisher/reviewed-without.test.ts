// One camp down: a story reviewed without a camp says so in edition.json and on the page.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@newsroom/platform/db/connect";
import { createHandlerContext } from "@newsroom/platform/runner/context";
import type { EditionDocument } from "@newsroom/publisher/edition-json";
import { publisherHandlers } from "@newsroom/publisher/roles/producer";
import { freshPglite } from "../support/services.js";
import { publisherConfig, seedEdition } from "./seed.js";

const ED = "2026-11-28-morning-without1";
let db: Db;
beforeAll(async () => {
  db = await freshPglite();
}, 120_000);
afterAll(async () => {
  await db?.destroy();
});

it('marks each story reviewed without a camp as such in edition.json and on the page, and no other', async () => {
  const outDir = mkdtempSync(join(tmpdir(), "newsroom-without-"));
  await seedEdition(db, {
    id: ED,
    intro: [{ ms: 800, rate: 22050, text: "Good morning." }],
    outro: [{ ms: 800, rate: 22050, text: "Goodbye." }],
    stories: [
      { id: "w1", rank: 1, status: "voiced", title: "Reviewed while one camp was down", reviewedWithout: "cn", segments: [{ ms: 1500, rate: 24000, text: "A story." }] },
      { id: "w2", rank: 2, status: "voiced", title: "Reviewed by both camps", segments: [{ ms: 1500, rate: 24000, text: "Another story." }] },
    ],
  });
  const [voiced] = publisherHandlers({ config: publisherConfig({ anchors: 1 }), outDir });
  const ctx = createHandlerContext({ db, consumer: voiced.consumer, meta: { editionId: ED, storyId: "w2", idempotencyKey: "voiced:w2", occurredAt: new Date() } });
  await (voiced.handle as (e: unknown, c: typeof ctx) => Promise<void>)({ scriptId: "w2-v1", segmentCount: 1, durationMs: 1500, meta: ctx.meta }, ctx);
  await ctx.finish();

  const doc = JSON.parse(readFileSync(join(outDir, ED, "edition.json"), "utf8")) as EditionDocument;
  expect(doc.stories.map((s) => [s.id, s.reviewed_without])).toEqual([["w1", ["cn"]], ["w2", []]]);
  const page = readFileSync(join(outDir, ED, "index.html"), "utf8");
  expect(page.match(/reviewed without the cn camp/g)).toHaveLength(1);
  const article = (n: number) => page.match(new RegExp(`<article id="story-${n}">[\\s\\S]*?</article>`))?.[0] ?? "";
  expect(article(1)).toContain("Reviewed while one camp was down");
  expect(article(1)).toContain("reviewed without the cn camp");
  expect(article(2)).not.toContain("reviewed without");
});
