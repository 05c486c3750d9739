import { describe, expect, it } from "vitest";
import { canonicalUrl } from "./canonical-url.js";
import { clusterStories, dedupe, type Clusterable } from "./cluster.js";

const at = (iso: string) => new Date(iso);
const item = (over: Partial<Clusterable> & { title: string }): Clusterable => ({ summary: "", published: at("2026-11-28T05:00:00Z"), feed: "f", language: "en", ...over });

describe("canonicalUrl", () => {
  it("drops tracking parameters, fragments, www, trailing slashes and scheme differences", () => {
    expect(canonicalUrl("http://www.Example.com/a/b/?utm_source=rss&id=7&utm_medium=feed#top")).toBe("https://example.com/a/b?id=7");
    expect(canonicalUrl("https://example.com/a/b")).toBe("https://example.com/a/b");
    expect(canonicalUrl("https://heise.de/x.html?wt_mc=rss.developer.beitrag.atom")).toBe("https://heise.de/x.html");
  });
});

describe("dedupe", () => {
  it("keeps the earliest of items with the same canonical URL or GUID", () => {
    const a = item({ title: "A", link: "https://ex.org/a?utm_source=x", published: at("2026-11-28T04:00:00Z"), feed: "one" });
    const b = item({ title: "A again", link: "http://www.ex.org/a/", feed: "two" });
    const c = item({ title: "C", guid: "g-1", feed: "one" });
    const d = item({ title: "C copy", guid: "g-1", feed: "three", published: at("2026-11-28T06:00:00Z") });
    const { unique, duplicates } = dedupe([b, d, a, c]);
    expect(unique.map((i) => i.title)).toEqual(["A", "C"]);
    expect(duplicates.map((x) => [x.item.title, x.keptAs.title, x.reason])).toEqual([
      ["A again", "A", "same canonical URL as an earlier item"],
      ["C copy", "C", "same GUID as an earlier item"],
    ]);
  });
});

describe("clusterStories", () => {
  const en1 = item({ title: "SpaceX Starship completes seventh test flight", summary: "SpaceX flew Starship from Starbase in Texas.", link: "https://a.example/1", published: at("2026-11-28T05:10:00Z") });
  const en2 = item({ title: "Starship seventh test flight: SpaceX catches the booster", summary: "Starship flew from Starbase, Texas.", link: "https://b.example/2", published: at("2026-11-28T05:00:00Z") });
  const zh = item({ title: "SpaceX星舰Starship完成第七次试飞", summary: "美国太空探索技术公司SpaceX的Starship星舰周六从得克萨斯州发射。", language: "zh", link: "https://c.example/3", published: at("2026-11-28T05:20:00Z") });
  const other = item({ title: "ECB holds interest rates at 2.15 percent", summary: "The European Central Bank kept rates.", link: "https://a.example/4" });
  const zhOther = item({ title: "全国铁路旅客发送量创同期新高", summary: "国家铁路集团表示，本周全国铁路累计发送旅客人数创历史同期新高。", language: "zh", link: "https://c.example/5" });
  const zhSame = item({ title: "全国铁路旅客发送量再创新高", summary: "本周全国铁路发送旅客人数创历史同期新高，多条线路加开列车。", language: "zh", link: "https://d.example/6" });

  it("groups the same story across sources and languages, dated by its earliest source", () => {
    const clusters = clusterStories([other, zh, en1, en2, zhOther, zhSame]);
    const groups = clusters.map((c) => c.items.map((i) => i.link).sort());
    expect(groups).toContainEqual(["https://a.example/1", "https://b.example/2", "https://c.example/3"]);
    expect(groups).toContainEqual(["https://a.example/4"]);
    expect(groups).toContainEqual(["https://c.example/5", "https://d.example/6"]);
    const starship = clusters.find((c) => c.items.length === 3)!;
    expect(starship.firstPublished.toISOString()).toBe("2026-11-28T05:00:00.000Z");
    expect(starship.items[0].link).toBe("https://b.example/2");
  });

  it("gives the same keys whatever the input order", () => {
    const keys = (xs: Clusterable[]) => clusterStories(xs).map((c) => c.key).sort();
    expect(keys([en1, en2, zh, other])).toEqual(keys([other, zh, en2, en1]));
    expect(new Set(keys([en1, en2, zh, other])).size).toBe(2);
  });
});
