// Real captured feeds (../shared/corpus/real) through the whole front of the newsroom on the
// embedded default: the ingest's scout and curator read the file, then the editor and the
// fact-check approve a script for every selected story, in the edition's language.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { requestEdition } from "@newsroom/ingest/editions/request";
import { findHostile } from "@newsroom/platform/text/hostile";
import { detectLanguage } from "@newsroom/platform/text/language";
import { endsSentence } from "@newsroom/platform/router/truncation";
import { ingestHandlers } from "@newsroom/ingest/handlers";
import { readFeed } from "@newsroom/ingest/read-feed";
import { parseConfig } from "@newsroom/platform/config/load";
import { approvedScripts, drive, spokenText, storiesOf, usePipelineDb } from "./harness.js";
import { offlineYaml } from "./fixtures.js";

const REAL = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/corpus/real");
const present = existsSync(REAL);
if (!present) {
  const msg = `corpus not found at ${REAL}`;
  if (process.env.CI === "true") throw new Error(msg);
  console.warn(`SKIPPED: ${msg}`);
}

const pipelines = usePipelineDb();

/** An edition whose "now" is an hour after the feed's newest item, so its items are fresh. */
async function editionOnFeed(file: string, timezone: string, language: "zh" | "en" | "bilingual") {
  const path = join(REAL, file);
  const newest = Math.max(...readFeed(readFileSync(path), { timezone }).items.map((i) => i.published?.getTime() ?? 0));
  const yaml = offlineYaml({ language, stories: 5, targetWords: 80 }).replace(/feeds:\n  - \{url: "[^"]+"\}/, `feeds:\n  - {file: "${path}", timezone: ${timezone}}`);
  const config = parseConfig(yaml, "/tmp/pipeline-test/newsroom.yaml", {});
  const p = pipelines.open(yaml, {}, ingestHandlers({ config }));
  const db = pipelines.db();
  const { editionId } = await requestEdition({ db, config, now: new Date(newest + 3_600_000) });
  await drive(p);
  return { editionId, stories: await storiesOf(db, editionId), scripts: await approvedScripts(db, editionId) };
}

describe.skipIf(!present)("real feeds through ingest, editor and fact-check (offline)", () => {
  it.each([
    ["zh/qq-news-guonei.gb2312.xml", "Asia/Shanghai", "zh"],
    ["en/guardian-us.rss", "America/New_York", "en"],
    ["en/nyt-wirecutter.xml", "America/New_York", "en"],
    ["zh/qq-news-guonei.gb2312.xml", "Asia/Shanghai", "bilingual"],
  ] as const)("%s (%s, %s edition): every selected story is approved, in the edition's language", async (file, tz, language) => {
    const { stories, scripts } = await editionOnFeed(file, tz, language);
    const selected = stories.filter((s) => s.rank !== null);
    expect(selected.length).toBeGreaterThan(0);
    for (const s of selected) expect([s.id, s.status, s.drop_reason]).toEqual([s.id, "approved", null]);
    expect(scripts.size).toBe(selected.length);
    for (const script of scripts.values()) {
      const lines = script.lines as { text: string; lang?: string }[];
      for (const l of lines) {
        expect(detectLanguage(l.text)).toBe(l.lang ?? language);
        expect(endsSentence(l.text)).toBe(true);
      }
      expect(findHostile(spokenText(script), language === "en" ? "en" : "zh")).toEqual([]);
    }
  });
});
