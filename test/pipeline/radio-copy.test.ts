// Radio copy end to end on the embedded default: the bundled real captures go through the
// ingest (radio copy), the editor and the fact-check; no dateline, byline, reporter credit or
// editor's note reaches an approved script, and the attribution varies: no more than a third
// of the show's stories open with the same phrase.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@newsroom/platform/config/load";
import { requestEdition } from "@newsroom/ingest/editions/request";
import { ingestHandlers } from "@newsroom/ingest/handlers";
import { readFeed } from "@newsroom/ingest/read-feed";
import { approvedScripts, drive, spokenText, storiesOf, usePipelineDb } from "./harness.js";
import { offlineYaml } from "./fixtures.js";
import { openingClause, printFurniture } from "../support/print-furniture.js";

const SAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), "../../samples/feeds");
const pipelines = usePipelineDb();

describe("radio copy through the newsroom (offline)", () => {
  it.each([
    ["zh/qq-news-guonei.gb2312.xml", "Asia/Shanghai", "zh"],
    ["en/guardian-us.rss", "America/New_York", "en"],
  ] as const)("%s: scripts carry no print furniture, and openings vary", async (file, timezone, language) => {
    const path = join(SAMPLES, file);
    const feed = readFeed(readFileSync(path), { timezone });
    const newest = Math.max(...feed.items.map((i) => i.published?.getTime() ?? 0));
    const yaml = offlineYaml({ language, stories: 6, targetWords: 80 }).replace(/feeds:\n  - \{url: "[^"]+"\}/, `feeds:\n  - {file: "${path}", timezone: ${timezone}}`);
    const config = parseConfig(yaml, "/tmp/pipeline-test/newsroom.yaml", {});
    const p = pipelines.open(yaml, {}, ingestHandlers({ config }));
    const db = pipelines.db();
    const { editionId } = await requestEdition({ db, config, now: new Date(newest + 3_600_000) });
    await drive(p);

    const scripts = [...(await approvedScripts(db, editionId)).values()].map(spokenText);
    expect(scripts.length).toBe(6);
    for (const s of scripts) expect([s.slice(0, 60), printFurniture(s)]).toEqual([s.slice(0, 60), []]);
    const openings = scripts.map(openingClause);
    const most = Math.max(...openings.map((o) => openings.filter((x) => x === o).length));
    expect(most, openings.join(" | ")).toBeLessThanOrEqual(scripts.length / 3);
    // The sources did carry credits: the ingest took them out.
    const sources = await db.selectFrom("sources").select("text").where("edition_id", "=", editionId).execute();
    expect(sources.flatMap((s) => printFurniture(s.text))).toEqual([]);
    expect((await storiesOf(db, editionId)).filter((s) => s.status === "approved")).toHaveLength(6);
  }, 180_000);
});
