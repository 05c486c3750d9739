// A provider's limits through the router and the real SDK: requests beyond max_concurrency
// queue (and the wait is on the `chat` span), requests_per_minute holds back the request past
// the cap, and a caller that gives up while queued never reaches the vendor.
import { beforeEach, describe, expect, it } from "vitest";
import { behave } from "../fakes/openai-server.js";
import { makeConfig, memorySpans, routerHarness, SCRIPT, scriptTask, STORY, testRouter } from "./support.js";

const h = routerHarness();
const spans = memorySpans();
beforeEach(() => spans.reset());

describe("provider limits", () => {
  it("queues past max_concurrency and puts the wait on the chat span", async () => {
    h.fake.setBehaviour("q1-a", behave.ok(SCRIPT, { delayMs: 60 }));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/q1-a", "beta/q1-b"] }, { providers: { alpha: { max_concurrency: 1 } } });
    const { router } = testRouter(cfg, h.db);
    await Promise.all(Array.from({ length: 3 }, () => router.run(scriptTask(), STORY)));
    expect(h.fake.maxInFlight("q1-a")).toBe(1);
    const chats = spans.getFinishedSpans().filter((s) => s.name === "chat q1-a");
    expect(chats).toHaveLength(3);
    const waits = chats.map((s) => Number(s.attributes["newsroom.provider.queue_wait_ms"] ?? 0)).sort((a, b) => a - b);
    // One at a time: at least two of the three waited for the one before them to finish.
    expect(waits[1]).toBeGreaterThan(0);
    expect(waits[2]).toBeGreaterThan(0);
    const event = chats.flatMap((s) => s.events).find((e) => e.name === "newsroom.provider.queued");
    expect(event?.attributes).toMatchObject({ "newsroom.provider": "alpha", "newsroom.provider.max_concurrency": 1 });
  });

  it("starts no more than requests_per_minute in a minute, and a caller may give up while queued", async () => {
    h.fake.setBehaviour("q2-a", behave.ok(SCRIPT));
    // No fallback model: the third call can only wait for alpha.
    const cfg = makeConfig(h.fake.url, { default: ["alpha/q2-a", "beta/q2-b"] }, { providers: { alpha: { requests_per_minute: 2 } } });
    h.fake.setBehaviour("q2-b", behave.fail(400, "not this one"));
    const { router } = testRouter(cfg, h.db);
    await router.run(scriptTask(), STORY);
    await router.run(scriptTask(), STORY);
    const abort = new AbortController();
    const third = router.run(scriptTask(), STORY, { signal: abort.signal });
    let settled = false;
    void third.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    expect(h.fake.callsFor("q2-a")).toHaveLength(2);
    abort.abort(new Error("the story's deadline passed"));
    await expect(third).rejects.toThrow();
    expect(h.fake.callsFor("q2-a")).toHaveLength(2);
  });
});
