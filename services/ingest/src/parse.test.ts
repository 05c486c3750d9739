import { describe, expect, it } from "vitest";
import { FeedParseError, parseFeedText } from "./parse.js";

const rss = (items: string, channel = "") =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title><link>https://example.com/</link>${channel}${items}</channel></rss>`;

describe("parseFeedText", () => {
  it("reads RSS 2.0 items with clean text, links and dates", () => {
    const feed = parseFeedText(
      rss(`<item><title>A &amp; B</title><link>https://example.com/a</link><guid>https://example.com/a</guid>
        <pubDate>Sat, 28 Nov 2026 05:10:00 GMT</pubDate><description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</description>
        <content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>Full</p><p>text</p>]]></content:encoded></item>`, "<language>en-US</language>"),
    );
    expect(feed).toMatchObject({ format: "rss", feedTitle: "Feed", feedLink: "https://example.com/", language: "en", bozo: false });
    expect(feed.items[0]).toMatchObject({ title: "A & B", link: "https://example.com/a", guid: "https://example.com/a", summary: "Hello world", content: "Full\n\ntext", language: "en" });
    expect(feed.items[0].published?.toISOString()).toBe("2026-11-28T05:10:00.000Z");
  });

  it("reads Atom with xml:base, RDF and JSON Feed", () => {
    const atom = parseFeedText(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://ex.org/news/" xml:lang="de"><title>T</title>
      <entry><title type="text">History of the &lt;blink&gt; tag</title><link href="item.html"/><id>urn:1</id><updated>2026-11-28T06:00:00+01:00</updated></entry></feed>`);
    expect(atom.items[0]).toMatchObject({ title: "History of the <blink> tag", link: "https://ex.org/news/item.html", guid: "urn:1", language: "de" });
    expect(atom.items[0].published?.toISOString()).toBe("2026-11-28T05:00:00.000Z");

    const rdf = parseFeedText(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://ex.org/"><title>R</title><link>https://ex.org/</link></channel>
      <item rdf:about="https://ex.org/1"><title>One</title><link>https://ex.org/1</link><dc:date>2022-12-17</dc:date></item></rdf:RDF>`);
    expect(rdf).toMatchObject({ format: "rdf", feedTitle: "R" });
    expect(rdf.items[0]).toMatchObject({ title: "One", guid: "https://ex.org/1" });

    const json = parseFeedText(JSON.stringify({ version: "https://jsonfeed.org/version/1.1", title: "J", items: [{ id: "1", url: "https://ex.org/j", title: "Jay", content_html: "<p>x</p>", date_published: "2026-11-28T01:00:00Z" }] }));
    expect(json).toMatchObject({ format: "json", feedTitle: "J" });
    expect(json.items[0]).toMatchObject({ title: "Jay", link: "https://ex.org/j", content: "x" });
  });

  it("resolves relative links against the document's URL", () => {
    const feed = parseFeedText(rss(`<item><title>t</title><link>/relative/uri</link></item>`), { baseUrl: "http://example.com/feed.xml" });
    expect(feed.items[0].link).toBe("http://example.com/relative/uri");
  });

  it("drops links that are not web links", () => {
    const feed = parseFeedText(rss(`<item><title>t</title><link>javascript:alert(1)</link></item>`));
    expect(feed.items[0].link).toBeUndefined();
  });

  it("uses a permalink guid as the link, and not one marked isPermaLink=false", () => {
    const feed = parseFeedText(rss(`<item><title>a</title><guid>https://ex.org/a</guid></item><item><title>b</title><guid isPermaLink="false">https://ex.org/b</guid></item>`));
    expect(feed.items.map((i) => i.link)).toEqual(["https://ex.org/a", undefined]);
  });

  it("expands harmless internal entities and reads ill-formed feeds leniently, flagged bozo", () => {
    const withEntity = parseFeedText(`<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]><rss version="2.0"><channel><item><guid isPermaLink="false">&id;2006:/blog/</guid></item></channel></rss>`);
    expect(withEntity.items[0].guid).toBe("tag:example.com,2006:/blog/");
    const truncated = parseFeedText(`<rss version="2.0"><channel><title>Broken &amp; cut</title><item><title>Still here</title></item></channel></rss`);
    expect(truncated.bozo).toBe(true);
    expect(truncated.feedTitle).toBe("Broken & cut");
    expect(truncated.items[0].title).toBe("Still here");
  });

  it("says clearly what it cannot read", () => {
    expect(() => parseFeedText("")).toThrow(FeedParseError);
    expect(() => parseFeedText("<html><body>Hello</body></html>")).toThrow(/no RSS, Atom or RDF feed/);
    expect(parseFeedText(`<rss version="2.0"></rss>`).items).toEqual([]);
  });
});
