// Bad input at the edge, several feeds at once: a slow-drip server, a 100 MB body, redirects to
// a private and to a link-local (metadata service) address. Each is refused with a clear note,
// bounded in time and bytes, and the good feed next to them is read as if nothing happened.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "@newsroom/platform/config/schema";
import { startFeedServer, type FeedServer } from "../../../test/fakes/feed-server.js";
import type { FetchConfig } from "./fetch.js";
import { scoutFeeds } from "./roles/scout.js";

const FEED = `<rss version="2.0"><channel><title>Good Wire</title>
<item><title>Harbour reopens</title><link>https://ex.org/a</link></item>
<item><title>Bridge vote</title><link>https://ex.org/b</link></item></channel></rss>`;

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
  server.route("/good.xml", { kind: "feed", body: FEED });
  server.route("/drip.xml", { kind: "drip", everyMs: 50 });
  server.route("/huge.xml", { kind: "endless", bytes: 100_000_000 });
  server.route("/to-private", { kind: "redirect", to: "http://[::ffff:10.0.0.7]/feed.xml" });
  server.route("/to-metadata", { kind: "redirect", to: "http://169.254.169.254/latest/meta-data/" });
});
afterAll(() => server.close());

describe("feed fetches are bounded in time, size and where they may go", () => {
  it("refuses each bad feed with a clear note and reads the good one", async () => {
    const fetch: FetchConfig = configSchema.shape.fetch.parse({ allow_loopback: true, timeout_ms: 1_500, max_bytes: 2_000_000 });
    const urls = ["good.xml", "drip.xml", "huge.xml", "to-private", "to-metadata"].map((p) => `${server.url}/${p}`);
    const { items, reports } = await scoutFeeds(
      urls.map((url) => ({ kind: "url" as const, url })),
      { fetch, concurrency: 5 },
    );
    const errorOf = (path: string) => reports.find((r) => r.feed.endsWith(path))!.error;
    expect(items.map((i) => i.title)).toEqual(["Harbour reopens", "Bridge vote"]);
    expect(errorOf("/good.xml")).toBeUndefined();
    expect(errorOf("/drip.xml")).toBe(`feed ${server.url}/drip.xml: timed out after 1500 ms`);
    expect(errorOf("/huge.xml")).toBe(`feed ${server.url}/huge.xml: body larger than 2000000 bytes`);
    expect(errorOf("/to-private")).toMatch(/: refused: resolves to private address 10\.0\.0\.7 \(set fetch\.allow_private to allow\)$/);
    expect(errorOf("/to-metadata")).toMatch(/: refused: resolves to link-local address 169\.254\.169\.254$/);
  });
});
