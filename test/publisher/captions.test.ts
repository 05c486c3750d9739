// Caption cues listeners can read: at most two lines (about 80 characters in English, 40 in
// Chinese), cut at sentence and clause boundaries, timed within the segment's audio.
import { describe, expect, it } from "vitest";
import { buildWebVtt } from "@newsroom/publisher/transcript";
import { parseVtt } from "./vtt.js";

const EN =
  "The central bank raised its main interest rate by a quarter point on Tuesday, the third rise this year. " +
  "Officials said inflation, which reached 4.2 percent in October, was still too high for comfort. " +
  "Markets fell at the open; bond yields rose to their highest level since the spring, and the currency gained against the dollar.";
const ZH = "央行周二将主要利率上调二十五个基点，这是今年第三次加息。官员表示，十月份通胀率达到百分之四点二，仍然过高。市场开盘下跌，债券收益率升至春季以来最高水平，人民币兑美元走强。";

function cuesOf(text: string, startMs: number, endMs: number) {
  return parseVtt(buildWebVtt([{ startMs, endMs, text, speaker: "anchor_a" }], { voices: true }));
}

describe("caption cues", () => {
  it("English: no cue over two lines of 42 characters; cuts fall at sentence or clause ends", () => {
    const cues = cuesOf(EN, 10_000, 40_000);
    expect(cues.length).toBeGreaterThanOrEqual(5);
    for (const c of cues) {
      const lines = c.text.replace(/^<v [^>]+>/, "").split("\n");
      expect(lines.length).toBeLessThanOrEqual(2);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(42);
      expect(lines.join(" ").length).toBeLessThanOrEqual(84);
    }
    // Every cue ends a sentence or a clause (the long clauses here have commas to cut at).
    for (const c of cues) expect(c.text.trim()).toMatch(/[.,;:]$/);
    // The words are all there, in order.
    expect(cues.map((c) => c.text.replace(/^<v [^>]+>/, "").replace(/\n/g, " ")).join(" ")).toBe(EN);
  });

  it("Chinese lines break between words: no Latin name or 星期二 cut in two, no line opens with punctuation", () => {
    const text = "各位听众晚上好，欢迎收听新闻晚报 Newsroom sample，我是林晓。今天是2018年9月18日星期二，这里是晚间新闻简报。今天的主要内容有：白天检查会所 晚上“霸王”消费；1至8月，全国共查办“假记者”刑事案件80多起。";
    const lines = cuesOf(text, 0, 30_000).flatMap((c) => c.text.replace(/^<v [^>]+>/, "").split("\n"));
    expect(lines.join("\n")).toContain("Newsroom");
    expect(lines.join("\n")).toContain("星期二");
    for (const l of lines) expect(l).not.toMatch(/^[，。、；：！？”）\s]/u);
    for (const l of lines) expect(l).not.toMatch(/[“（]$/u);
  });

  it("a line break never lands inside a word after a space, nor before a clause mark (the sample's rundown)", () => {
    // Spaces inside the headlines once shifted the break by one character per space:
    // "鼓励正\n当防卫", "1至8月\n，全国", "谈抗战\n：牢记".
    const text = "今天的主要内容有：最高法：适时出台防卫过当的认定标准 鼓励正当防卫；浙江4名消防巡查队员违纪被查：白天检查会所 晚上“霸王”消费；1至8月，全国共查办“假记者”刑事案件80多起。腾讯新闻 国内消息，习近平谈抗战：牢记历史是要以史为鉴、面向未来。";
    const lines = cuesOf(text, 0, 30_000).flatMap((c) => c.text.replace(/^<v [^>]+>/, "").split("\n"));
    for (const l of lines) expect(l).not.toMatch(/^[，。、；：！？”）\s]/u);
    expect(lines.join("\n")).not.toContain("正\n当");
    expect(lines.join("")).toBe(text);
  });

  it("English: a number's thousands comma is not a clause mark, and a short clause does not stand alone", () => {
    const text = "Drought, wind and flooding that occurs due to reasons other than storms topped the list of natural disasters that endanger 1,700 military sites worldwide, from large bases to outposts, said the US Department of Defense.";
    const cues = cuesOf(text, 0, 20_000).map((c) => c.text.replace(/^<v [^>]+>/, "").replace(/\n/g, " "));
    expect(cues.join(" ")).toBe(text);
    expect(cues.join(" ")).toContain("1,700");
    expect(cues[0]).not.toBe("Drought,");
  });

  it("Chinese: no cue over 40 characters in two lines, cut at 。，", () => {
    const cues = cuesOf(ZH, 0, 30_000);
    for (const c of cues) {
      const lines = c.text.replace(/^<v [^>]+>/, "").split("\n");
      expect(lines.length).toBeLessThanOrEqual(2);
      expect([...lines.join("")].length).toBeLessThanOrEqual(40);
      expect(c.text).toMatch(/[。，]$/);
    }
    expect(cues.map((c) => c.text.replace(/^<v [^>]+>/, "").replace(/\n/g, "")).join("")).toBe(ZH);
  });

  it("times: contiguous, in order, spanning exactly the segment's audio, longer text longer", () => {
    const cues = cuesOf(EN, 10_000, 40_000);
    expect(cues[0].start).toBe(10);
    expect(cues.at(-1)!.end).toBe(40);
    cues.forEach((c, i) => {
      expect(c.end).toBeGreaterThan(c.start);
      if (i) expect(c.start).toBe(cues[i - 1].end);
    });
    const perChar = cues.map((c) => (c.end - c.start) / c.text.replace(/^<v [^>]+>/, "").replace(/[\s\p{P}]/gu, "").length);
    for (const r of perChar) expect(r).toBeCloseTo(perChar[0], 3);
  });

  it("each cue keeps its speaker's voice tag, and markup in the text is escaped", () => {
    const cues = parseVtt(buildWebVtt([{ startMs: 0, endMs: 2000, text: "Rates <rose> & fell.", speaker: "anchor_b" }], { voices: true }));
    expect(cues).toHaveLength(1);
    expect(cues[0].text).toBe("<v anchor_b>Rates &lt;rose&gt; &amp; fell.");
  });
});
