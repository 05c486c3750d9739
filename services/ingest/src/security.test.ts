// Hostile input: entity bombs and external entities, huge and compressed-bomb bodies, wrong
// encodings, feed URLs aimed at loopback and private networks, and markup in fields.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "@newsroom/platform/config/schema";
import { startFeedServer, type FeedServer } from "../../../test/fakes/feed-server.js";
import { checkAddress } from "./address.js";
import { fetchFeed, type FetchConfig } from "./fetch.js";
import { FeedParseError } from "./parse.js";
import { readFeed } from "./read-feed.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../fixtures");
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const fetchConfig = (more: Partial<FetchConfig> = {}): FetchConfig => configSchema.shape.fetch.parse(more);
const FEED = `<rss version="2.0"><channel><title>ok</title><item><title>t</title><link>https://ex.org/t</link></item></channel></rss>`;

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
  server.route("/feed.xml", { kind: "feed", body: FEED });
});
afterAll(() => server.close());

describe("hostile XML", () => {
  it("refuses a billion-laughs entity bomb with a clear error", () => {
    expect(() => readFeed(fixture("hostile/billion-laughs.xml"))).toThrow(FeedParseError);
    expect(() => readFeed(fixture("hostile/billion-laughs.xml"))).toThrow(/refused: entity bomb: "&lol\d;" expands past 10000 characters/);
  });

  it("refuses quadratic blow-up (one big entity used many times)", () => {
    expect(() => readFeed(fixture("hostile/quadratic-blowup.xml"))).toThrow(/refused: entity bomb: entity references expand past 1000000 characters/);
  });

  it("refuses an external entity (XXE) instead of reading the file", () => {
    expect(() => readFeed(fixture("hostile/xxe.xml"))).toThrow(/refused: external entity "&secret;" is not accepted/);
  });
});

describe("huge bodies", () => {
  it("aborts a streamed body past fetch.max_bytes", async () => {
    server.route("/endless.xml", { kind: "endless" });
    await expect(fetchFeed(`${server.url}/endless.xml`, { config: fetchConfig({ allow_loopback: true, max_bytes: 100_000 }) })).rejects.toThrow(
      `feed ${server.url}/endless.xml: body larger than 100000 bytes`,
    );
  });

  it("refuses a declared Content-Length past the limit before reading", async () => {
    server.route("/declared.xml", { kind: "endless", bytes: 200_000, declareLength: true });
    await expect(fetchFeed(`${server.url}/declared.xml`, { config: fetchConfig({ allow_loopback: true, max_bytes: 100_000 }) })).rejects.toThrow(
      "body larger than 100000 bytes (Content-Length 200000)",
    );
  });

  it("counts decompressed bytes, so a gzip bomb stops at the limit", async () => {
    server.route("/bomb.xml", { kind: "endless", bytes: 20_000_000, gzip: true });
    await expect(fetchFeed(`${server.url}/bomb.xml`, { config: fetchConfig({ allow_loopback: true, max_bytes: 1_000_000 }) })).rejects.toThrow(
      "body larger than 1000000 bytes",
    );
  });
});

describe("wrong encodings", () => {
  it("reads ISO-8859-1 bytes with no declaration, flagged bozo", () => {
    const feed = readFeed(fixture("latin1-undeclared.rss"));
    expect(feed.bozo).toBe(true);
    expect(feed.feedTitle).toBe("Notícias de São Paulo");
    expect(feed.items[0].title).toBe("Prefeitura anuncia ações após chuva forte");
    expect(feed.items[0].published?.toISOString()).toBe("2026-11-28T05:15:00.000Z");
  });

  it("reads a feed that declares UTF-8 but is not, flagged bozo", () => {
    const bytes = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>caf'), Buffer.from([0xe9]), Buffer.from("</title></channel></rss>")]);
    const feed = readFeed(bytes);
    expect(feed.bozo).toBe(true);
    expect(feed.feedTitle).toBe("café");
    expect(feed.errors[0]).toMatch(/declared utf-8 but the bytes are not valid UTF-8/);
  });

  it("reads the declared GB2312 fixture as GB18030", () => {
    const feed = readFeed(fixture("world-zh.gb2312.xml"), { timezone: "Asia/Shanghai" });
    expect(feed).toMatchObject({ encoding: "gb18030", bozo: false, feedTitle: "测试新闻 国际" });
  });
});

describe("feed URLs aimed inside", () => {
  it("refuses 127.0.0.1 by default without sending a request, and allows it with allow_loopback", async () => {
    const before = server.requests.length;
    await expect(fetchFeed(`${server.url}/feed.xml`, { config: fetchConfig() })).rejects.toThrow(
      `feed ${server.url}/feed.xml: refused: resolves to loopback address 127.0.0.1 (set fetch.allow_loopback to allow)`,
    );
    expect(server.requests.length).toBe(before);
    const ok = await fetchFeed(`${server.url}/feed.xml`, { config: fetchConfig({ allow_loopback: true }) });
    expect(ok.body.toString()).toBe(FEED);
  });

  it("refuses a host name that resolves to loopback", async () => {
    const port = new URL(server.url).port;
    await expect(fetchFeed(`http://localhost:${port}/feed.xml`, { config: fetchConfig() })).rejects.toThrow(/refused: resolves to loopback address (127\.0\.0\.1|::1)/);
  });

  it("refuses 10.x (checked before connecting: no traffic to 10.x)", async () => {
    await expect(fetchFeed("http://10.0.0.1/feed.xml", { config: fetchConfig({ timeout_ms: 2_000 }) })).rejects.toThrow(
      "feed http://10.0.0.1/feed.xml: refused: resolves to private address 10.0.0.1 (set fetch.allow_private to allow)",
    );
  });

  it("checks every redirect hop: a loopback-allowed feed cannot bounce to a private address", async () => {
    server.route("/bounce", { kind: "redirect", to: "http://10.1.2.3/admin" });
    await expect(fetchFeed(`${server.url}/bounce`, { config: fetchConfig({ allow_loopback: true }) })).rejects.toThrow(/refused: resolves to private address 10\.1\.2\.3/);
  });

  it("classifies addresses: private, link-local and unspecified refused; public allowed", () => {
    const none = { allow_private: false, allow_loopback: false };
    for (const a of ["10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1", "fc00::1", "::ffff:10.0.0.1", "127.0.0.1", "::1", "0.0.0.0", "::", "169.254.169.254", "fe80::1", "224.0.0.1"])
      expect(() => checkAddress(a, none), a).toThrow(/refused/);
    expect(() => checkAddress("8.8.8.8", none)).not.toThrow();
    expect(() => checkAddress("2001:4860:4860::8888", none)).not.toThrow();
    const privateOk = { allow_private: true, allow_loopback: false };
    expect(() => checkAddress("10.0.0.1", privateOk)).not.toThrow();
    // The cloud metadata address stays refused even when private networks are allowed.
    expect(() => checkAddress("169.254.169.254", privateOk)).toThrow("refused: resolves to link-local address 169.254.169.254");
  });
});

describe("markup in fields", () => {
  it("reduces HTML and <script> in titles and descriptions to text", () => {
    const feed = readFeed(fixture("hostile/injection.rss"));
    const item = feed.items[0];
    expect(item.title).toBe("Port authority reopens harbour after storm");
    for (const field of [item.title, item.summary]) {
      expect(field).not.toMatch(/<script|<iframe|<img|onerror|document\.cookie/i);
    }
    expect(item.summary).toContain("The port authority reopened the harbour on Saturday");
    const atom = readFeed(fixture("tech.atom"));
    expect(atom.items[0].summary).toBe("SpaceX's Starship completed its seventh test flight from Starbase, Texas.");
  });
});
