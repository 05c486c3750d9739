import { describe, expect, it } from "vitest";
import { distinctOutlets, siteOf } from "./outlets.js";

const src = (url: string | null, feed: string, feed_title: string | null = null) => ({ url, feed, feed_title });

describe("outlets", () => {
  it("an outlet is a site's registrable domain", () => {
    expect(["https://news.qq.com/a/1.htm", "http://new.qq.com/omn/2", "https://www.bbc.co.uk/news/x", "https://rss.sina.com.cn/a", "https://127.0.0.1:8080/x"].map(siteOf)).toEqual([
      "qq.com",
      "qq.com",
      "bbc.co.uk",
      "sina.com.cn",
      "127.0.0.1",
    ]);
    expect([null, "feeds/zh/qq.xml", "not a url"].map(siteOf)).toEqual([null, null, null]);
  });
  it("counts two feeds of one outlet once, names each by its first feed, and falls back to the feed's site, then its name", () => {
    const sources = [
      src("https://www.theguardian.com/us-news/1", "https://www.theguardian.com/us/rss", "The Guardian US"),
      src("https://www.theguardian.com/world/2", "https://www.theguardian.com/world/rss", "The Guardian World"),
      src(null, "https://feeds.nbcnewyork.com/rss", "NBC New York"),
      src(null, "https://nbcnewyork.com/news/rss", null),
      src(null, "/srv/feeds/xinhua.xml", "新华社"),
      src(null, "/srv/feeds/people.xml", null),
    ];
    expect(distinctOutlets(sources)).toEqual(["The Guardian US", "NBC New York", "新华社", "/srv/feeds/people.xml"]);
  });
});
