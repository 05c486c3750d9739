import { describe, expect, it } from "vitest";
import { configSchema } from "@newsroom/platform/config/schema";
import { parseConfig } from "@newsroom/platform/config/load";
import { correctionFor } from "@newsroom/platform/editorial/reports";
import type { SourceBrief } from "@newsroom/platform/editorial/sources";
import { contradictedFigures, decideReport, type DeskCase } from "./roles/corrections-desk.js";

const source = (text: string, language = "zh"): SourceBrief => ({ id: "src1", feed: "wire", title: "", text, language, publishedAt: "2025-03-10T05:00:00Z" }) as SourceBrief;
const script = (text: string, language = "zh") => ({ language, lines: [{ speaker: "anchor_a" as const, text }] });
const edition = (language: "zh" | "en" | "bilingual") => ({ now: new Date("2025-03-10T07:00:00Z"), language, config: { edition: { ...configSchema.shape.edition.parse({}), language } } });

describe("corrections desk: what contradicts an aired figure", () => {
  it("a Chinese figure the sources give differently is contradicted; a figure they give is not; a figure on another subject is not", () => {
    const sources = [source("暴雨导致三个沿河城镇的1200名居民撤离。救援队开设了四处安置点。")];
    const found = contradictedFigures(script("暴雨导致三个沿河城镇的12000名居民撤离。"), sources);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ aired: "12000", sourceFigure: "1200" });
    expect(contradictedFigures(script("暴雨导致三个沿河城镇的1200名居民撤离。"), sources)).toEqual([]);
    // Not said by the sources, but nothing in them is about it: unsupported, not contradicted.
    expect(contradictedFigures(script("市长表示，明年将新建15座桥梁。"), sources)).toEqual([]);
  });

  it("a newer source revising a figure the story's sources gave contradicts it; one repeating it does not", () => {
    const own = [source("Floods forced 1,200 residents from their homes in three river towns on Sunday, officials said.", "en")];
    const aired = script("Floods forced 1,200 residents from their homes in three river towns on Sunday.", "en");
    expect(contradictedFigures(aired, own)).toEqual([]);
    const revised = [source("Officials revised the count: floods forced 800 residents from their homes in three river towns.", "en")];
    expect(contradictedFigures(aired, own, revised)).toEqual([expect.objectContaining({ aired: "1,200", sourceFigure: "800", newer: true })]);
    const repeated = [source("Floods forced 1,200 residents from their homes in three river towns, and 4 shelters opened.", "en")];
    expect(contradictedFigures(aired, own, repeated)).toEqual([]);
  });

  it("a figure said in words is compared by value", () => {
    const sources = [source("The council approved 40 kilometres of protected bike lanes on Monday.", "en")];
    expect(contradictedFigures(script("The council approved forty kilometres of protected bike lanes on Monday.", "en"), sources)).toEqual([]);
    expect(contradictedFigures(script("The council approved 14 kilometres of protected bike lanes on Monday.", "en"), sources)[0]).toMatchObject({ aired: "14", sourceFigure: "40" });
  });
});

describe("the correction's words", () => {
  it("are read in each language part of the show", () => {
    const fact = { kind: "figure", aired: "12000", sources: "1200" } as const;
    const zh = correctionFor(edition("zh"), configSchema.shape.edition.parse({}), "暴雨致居民撤离", fact);
    expect(zh.lines).toEqual({ zh: "更正：2025-03-10节目中的报道《暴雨致居民撤离》说12000，来源显示应为1200。" });
    const both = correctionFor(edition("bilingual"), configSchema.shape.edition.parse({}), "暴雨致居民撤离 | Floods force residents out", fact);
    expect(both.lines.zh).toMatch(/^更正：.*《暴雨致居民撤离》/);
    expect(both.lines.en).toBe('A correction: in our 2025-03-10 edition, the story "Floods force residents out" said 12000; the sources say 1200.');
  });
});

describe("corrections desk: audio reports re-run the completeness checks", () => {
  const config = parseConfig(
    'feeds:\n  - {url: "http://127.0.0.1:9/feed.xml"}\npodcast:\n  title: T\nproviders:\n  offline: {camp: local, kind: offline}\nroles:\n  default: [offline/extractive]\nallow_single_camp: true\n',
    "/tmp/desk-test/newsroom.yaml",
    {},
  );
  const text = "The city council approved forty kilometres of protected bike lanes on Monday, and construction starts in June.";
  const tone = (ms: number) => {
    const n = Math.round((16000 * ms) / 1000);
    const pcm = new Int16Array(n).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / 16000)));
    return Buffer.from(pcm.buffer);
  };
  const deskCase = (ms: number): DeskCase =>
    ({
      report: { id: "r-1", kind: "cut_off", script_version: 2, story_id: "s1" },
      edition: { id: "e1", ...edition("en") },
      headline: "Bike lanes approved",
      script: { id: "s1-v2", ...script(text, "en"), camp: "local" },
      sources: [],
      newer: [],
      segments: [{ id: "seg0", seq: 0, text, provider: "espeak", pcm: tone(ms), sample_rate: 16000 }],
      settings: edition("en").config.edition,
    }) as unknown as DeskCase;
  const noRouter = {} as never;

  it("upholds a cut-off report when a segment is far shorter than its text takes to say", async () => {
    const out = await decideReport(deskCase(1200), noRouter, config, {});
    expect(out.decision?.status).toBe("upheld");
    expect(out.decision?.reason).toMatch(/cut off confirmed by the completeness checks: segment 0: cut off: 1\.2 s of audio/);
    expect(out.decision?.correction?.lines.zh ?? out.decision?.correction?.lines.en).toMatch(/not heard in full/);
  });

  it("rejects it when every segment is whole", async () => {
    const out = await decideReport(deskCase(7000), noRouter, config, {});
    expect(out.decision).toMatchObject({ status: "rejected", decidedBy: "corrections_desk" });
    expect(out.decision?.reason).toMatch(/completeness checks passed on all 1 aired segment/);
  });
});
