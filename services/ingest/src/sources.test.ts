import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { listFeedSources, opmlSources } from "./sources.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../fixtures");

describe("listFeedSources", () => {
  it("expands an OPML file into its feeds (nested outlines, relative files) next to URLs and files", async () => {
    const { sources, problems } = await listFeedSources(
      [{ url: "https://example.com/rss", timezone: "Europe/Berlin" }, { opml: join(FIXTURES, "feeds.opml") }, { file: join(FIXTURES, "tech.atom") }],
      1_000_000,
    );
    expect(problems).toEqual([]);
    expect(sources).toEqual([
      { kind: "url", url: "https://example.com/rss", name: undefined, timezone: "Europe/Berlin" },
      { kind: "file", path: join(FIXTURES, "world-en.rss"), name: "Test Wire - World" },
      { kind: "file", path: join(FIXTURES, "world-zh.gb2312.xml"), name: "测试新闻 国际" },
      { kind: "file", path: join(FIXTURES, "tech.atom"), name: "Example Tech Desk" },
    ]);
  });

  it("reports an unreadable OPML file as a problem, not a crash", async () => {
    const { sources, problems } = await listFeedSources([{ opml: join(FIXTURES, "missing.opml") }, { opml: join(FIXTURES, "tech.atom") }], 1_000_000);
    expect(sources).toEqual([]);
    expect(problems.map((p) => p.error)).toEqual([
      `opml ${join(FIXTURES, "missing.opml")}: cannot read file (ENOENT)`,
      `opml ${join(FIXTURES, "tech.atom")}: not a readable OPML document (Invalid OPML format)`,
    ]);
  });

  it("takes http(s) feeds from OPML and refuses other schemes", () => {
    const opml = (url: string) => `<opml version="2.0"><body><outline text="x" xmlUrl="${url}"/></body></opml>`;
    expect(opmlSources(opml("https://ex.org/feed"), "/tmp/a.opml")).toEqual([{ kind: "url", url: "https://ex.org/feed", name: "x" }]);
    expect(() => opmlSources(opml("file:///etc/passwd"), "/tmp/a.opml")).toThrow(/only http\(s\) URLs and relative file paths/);
  });
});
