import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "@newsroom/platform/config/schema";
import { startFeedServer, type FeedServer } from "../../../test/fakes/feed-server.js";
import { memoryFeedState } from "./feed-state.js";
import { FeedFetchError, fetchFeed, type FetchConfig } from "./fetch.js";

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Fake</title><item><title>One</title><link>/one</link></item></channel></rss>`;
const loopback = (more: Partial<FetchConfig> = {}): FetchConfig => configSchema.shape.fetch.parse({ allow_loopback: true, ...more });

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());

describe("fetchFeed", () => {
  it("sends the stored ETag and reuses the stored body on 304", async () => {
    server.route("/etag.xml", { kind: "feed", body: FEED, etag: '"v1"' });
    const state = memoryFeedState();
    const first = await fetchFeed(`${server.url}/etag.xml`, { config: loopback(), state });
    expect(first.notModified).toBe(false);
    const second = await fetchFeed(`${server.url}/etag.xml`, { config: loopback(), state });
    expect(second.notModified).toBe(true);
    expect(second.body.toString()).toBe(FEED);
    const sent = server.requests.filter((r) => r.path === "/etag.xml");
    expect(sent.map((r) => r.status)).toEqual([200, 304]);
    expect(sent[1].headers["if-none-match"]).toBe('"v1"');
  });

  it("uses Last-Modified when there is no ETag", async () => {
    const lastModified = "Sat, 28 Nov 2026 05:00:00 GMT";
    server.route("/lm.xml", { kind: "feed", body: FEED, lastModified });
    const state = memoryFeedState();
    await fetchFeed(`${server.url}/lm.xml`, { config: loopback(), state });
    const again = await fetchFeed(`${server.url}/lm.xml`, { config: loopback(), state });
    expect(again.notModified).toBe(true);
    expect(server.requests.filter((r) => r.path === "/lm.xml")[1].headers["if-modified-since"]).toBe(lastModified);
  });

  it("decompresses gzip and keeps the Content-Type and Content-Location base", async () => {
    server.route("/gz.xml", { kind: "feed", body: FEED, gzip: true, contentType: "application/rss+xml; charset=utf-8", headers: { "content-location": "https://feeds.example.com/world.xml" } });
    const got = await fetchFeed(`${server.url}/gz.xml`, { config: loopback() });
    expect(got.body.toString()).toBe(FEED);
    expect(got.contentType).toBe("application/rss+xml; charset=utf-8");
    expect(got.baseUrl).toBe("https://feeds.example.com/world.xml");
  });

  it("follows a limited number of redirects", async () => {
    server.route("/r1", { kind: "redirect", to: "/r2", status: 301 });
    server.route("/r2", { kind: "redirect", to: `${server.url}/final.xml`, status: 307 });
    server.route("/final.xml", { kind: "feed", body: FEED });
    const got = await fetchFeed(`${server.url}/r1`, { config: loopback({ max_redirects: 2 }) });
    expect(got.finalUrl).toBe(`${server.url}/final.xml`);
    await expect(fetchFeed(`${server.url}/r1`, { config: loopback({ max_redirects: 1 }) })).rejects.toThrow(`feed ${server.url}/r1: more than 1 redirects`);
  });

  it("refuses a redirect to another scheme", async () => {
    server.route("/to-file", { kind: "redirect", to: "file:///etc/passwd" });
    await expect(fetchFeed(`${server.url}/to-file`, { config: loopback() })).rejects.toThrow(/refused: redirect to file:\/\/\/etc\/passwd/);
  });

  it("reports HTTP errors and timeouts clearly", async () => {
    server.route("/gone", { kind: "status", status: 404 });
    await expect(fetchFeed(`${server.url}/gone`, { config: loopback() })).rejects.toThrow(`feed ${server.url}/gone: HTTP 404 Not Found`);
    server.route("/hang", { kind: "hang" });
    const err = await fetchFeed(`${server.url}/hang`, { config: loopback({ timeout_ms: 300 }) }).catch((e) => e);
    expect(err).toBeInstanceOf(FeedFetchError);
    expect(err.message).toBe(`feed ${server.url}/hang: timed out after 300 ms`);
  });

  it("refuses non-http URLs", async () => {
    await expect(fetchFeed("ftp://example.com/feed", { config: loopback() })).rejects.toThrow("feed ftp://example.com/feed: refused: only http and https URLs are fetched");
  });
});
