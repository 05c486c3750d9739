// Radio copy at ingest, on the patterns wire copy uses and on real items from the bundled
// captures and the shared corpus: no dateline, byline, credit or editor's note survives, and
// the news itself does.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { curate } from "./roles/curator.js";
import { radioCopy, radioTitle } from "./radio-copy.js";
import { readFeed } from "./read-feed.js";
import { printFurniture } from "../../../test/support/print-furniture.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const furniture = printFurniture;

describe("radio copy", () => {
  it.each([
    ["中新网客户端9月18日电(记者阚枫)最高人民法院日前发布《工作规划(2018-2023)》。", "最高人民法院日前发布《工作规划(2018-2023)》。"],
    ["本报讯（记者 王小明）昨天，市政府宣布新的公交线路。", "昨天，市政府宣布新的公交线路。"],
    ["编者按：本文回顾了这段历史。\n\n最高人民法院日前发布规划。", "最高人民法院日前发布规划。"],
    ["编者按：1931年9月18日，事变爆发。求是网带您回顾习近平的经典论述。抗战胜利意义重大。", "抗战胜利意义重大。"],
    ["国际在线报道（记者李雯婷、李晋）：研讨会16日在北京举行。", "研讨会16日在北京举行。"],
    ["春城晚报9月17日消息，红十字会出纳挪用救灾款247万元。", "红十字会出纳挪用救灾款247万元。"],
    ["大会开幕习近平致信祝贺新华社上海9月17日电2018世界人工智能大会17日在上海开幕。", "2018世界人工智能大会17日在上海开幕。"],
    ["WASHINGTON (Reuters) - The Senate voted 60 to 40 on Tuesday.", "The Senate voted 60 to 40 on Tuesday."],
    ["By Jane Doe, Washington Correspondent\n\nThe president spoke for 80 minutes.", "The president spoke for 80 minutes."],
    ["The president spoke.\nPhoto: Jim Watson/AFP/Getty Images\n\nContinue reading...", "The president spoke."],
    ["Officials said [Read more: the budget] it would pass.", "Officials said it would pass."],
  ])("%s", (input, spoken) => {
    expect(radioCopy(input)).toBe(spoken);
  });

  it("keeps what is news: dates that open a sentence, brackets that are not credits, plain attributions", () => {
    for (const text of ["2018年9月17日，外交部发言人耿爽主持例行记者会。", "文化部（文化部）发布通知。", "According to the police, two people were hurt (one seriously)."])
      expect(radioCopy(text)).toBe(text);
  });

  it("a column label is not part of a headline", () => {
    expect(radioTitle("【风从海上来】宁波：为海洋经济发展\"打样\"")).toBe('宁波：为海洋经济发展"打样"');
  });

  it.each([
    ["samples/feeds/zh/qq-news-guonei.gb2312.xml", "Asia/Shanghai"],
    ["samples/feeds/en/guardian-us.rss", "America/New_York"],
    ["samples/feeds/en/nbc-newyork.xml", "America/New_York"],
    ["../shared/corpus/real/en/nyt-wirecutter.xml", "America/New_York"],
  ])("real items (%s): the curated sources carry none of it, and keep their news", (file, timezone) => {
    const feed = readFeed(readFileSync(join(ROOT, file)), { timezone });
    const raw = feed.items.map((i) => `${i.summary}\n${i.content}`).join("\n");
    const items = feed.items.map((i) => ({ ...i, feed: file, feedTitle: feed.feedTitle }));
    const newest = Math.max(...items.map((i) => i.published?.getTime() ?? 0));
    const { stories } = curate(items, { now: new Date(newest + 3_600_000), windowHours: 24 * 365 });
    const texts = stories.flatMap((s) => s.sources.map((src) => `${src.title}\n${src.summary}\n${src.content}`));
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) expect([t.slice(0, 80), furniture(t)]).toEqual([t.slice(0, 80), []]);
    if (file.includes("qq-news")) {
      // The capture does carry them: the test would see any that survived.
      expect(furniture(raw).length).toBeGreaterThanOrEqual(3);
      expect(texts.join("\n")).toContain("最高人民法院日前发布");
    }
  });
});
