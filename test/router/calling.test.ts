// Calling: retries with backoff and Retry-After, timeouts, the circuit breaker, fallback down
// the chain, streaming and the per-provider concurrency limit, through the real SDK.
import { describe, expect, it } from "vitest";
import { ChainExhaustedError } from "@newsroom/platform/router/types";
import { behave } from "../fakes/openai-server.js";
import { makeConfig, newEdition, routerHarness, SCRIPT, scriptTask, STORY, testRouter } from "./support.js";

const h = routerHarness();

const { rowsOf } = h;

describe("retries", () => {
  it("retries a 500 on the same model and records each attempt", async () => {
    h.fake.setBehaviour("r1-a", [behave.fail(500), behave.ok(SCRIPT)]);
    const { router, delays } = testRouter(makeConfig(h.fake.url, { default: ["alpha/r1-a", "beta/r1-b"] }), h.db);
    const editionId = newEdition();
    const r = await router.run(scriptTask(), STORY, { editionId });
    expect(r.output).toBe(SCRIPT);
    expect(r.model).toBe("r1-a");
    expect(r.completion).toBe("whole");
    expect(h.fake.callsFor("r1-a")).toHaveLength(2);
    expect(h.fake.callsFor("r1-b")).toHaveLength(0);
    expect(delays).toHaveLength(1);
    const rows = await rowsOf(editionId);
    expect(rows.map((r) => [r.model, r.outcome, r.error_class])).toEqual([
      ["r1-a", "error", "http_500"],
      ["r1-a", "ok", null],
    ]);
  });

  it("waits as long as a 429's Retry-After asks", async () => {
    h.fake.setBehaviour("r2-a", [behave.rateLimited(3), behave.ok(SCRIPT)]);
    const { router, delays } = testRouter(makeConfig(h.fake.url, { default: ["alpha/r2-a", "beta/r2-b"] }), h.db);
    const r = await router.run(scriptTask(), STORY);
    expect(r.model).toBe("r2-a");
    expect(delays).toEqual([3000]);
  });

  it("backs off with growing, jittered delays when no Retry-After is given", async () => {
    h.fake.setBehaviour("r3-a", [behave.fail(503), behave.fail(502), behave.ok(SCRIPT)]);
    const { router, delays } = testRouter(makeConfig(h.fake.url, { default: ["alpha/r3-a", "beta/r3-b"] }), h.db, {
      retry: { initialDelayMs: 100, maxDelayMs: 5000 },
    });
    await router.run(scriptTask(), STORY);
    expect(delays).toHaveLength(2);
    for (const d of delays) expect(d).toBeGreaterThan(0);
    expect(delays.every((d) => d <= 5000)).toBe(true);
  });

  it("does not wait out a Retry-After beyond the cap: it falls back", async () => {
    h.fake.setBehaviour("r4-a", behave.rateLimited(600));
    h.fake.setBehaviour("r4-b", behave.ok(SCRIPT));
    const { router, delays } = testRouter(makeConfig(h.fake.url, { default: ["alpha/r4-a", "beta/r4-b"] }), h.db);
    const r = await router.run(scriptTask(), STORY);
    expect(r.model).toBe("r4-b");
    expect(r.completion).toBe("fell_back");
    expect(delays).toEqual([]);
    expect(h.fake.callsFor("r4-a")).toHaveLength(1);
  });

  it("retries a dropped connection (network error)", async () => {
    h.fake.setBehaviour("r5-a", [behave.drop(), behave.ok(SCRIPT)]);
    const { router } = testRouter(makeConfig(h.fake.url, { default: ["alpha/r5-a", "beta/r5-b"] }), h.db);
    const editionId = newEdition();
    const r = await router.run(scriptTask(), STORY, { editionId });
    expect(r.model).toBe("r5-a");
    expect((await rowsOf(editionId)).map((x) => x.error_class)).toEqual(["network", null]);
  });

  it("does not retry a 400; it falls back at once", async () => {
    h.fake.setBehaviour("r6-a", behave.fail(400, "bad request"));
    h.fake.setBehaviour("r6-b", behave.ok(SCRIPT));
    const { router, delays } = testRouter(makeConfig(h.fake.url, { default: ["alpha/r6-a", "beta/r6-b"] }), h.db);
    const r = await router.run(scriptTask(), STORY);
    expect(r.model).toBe("r6-b");
    expect(h.fake.callsFor("r6-a")).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("falls back after the retries of a failing model are used up", async () => {
    h.fake.setBehaviour("r7-a", behave.fail(500));
    h.fake.setBehaviour("r7-b", behave.ok(SCRIPT));
    const { router } = testRouter(makeConfig(h.fake.url, { default: ["alpha/r7-a", "beta/r7-b"] }), h.db);
    const editionId = newEdition();
    const r = await router.run(scriptTask(), STORY, { editionId });
    expect(r.model).toBe("r7-b");
    expect(r.completion).toBe("fell_back");
    expect(h.fake.callsFor("r7-a")).toHaveLength(3); // max_retries 2
    const rows = await rowsOf(editionId);
    expect(rows.map((x) => x.outcome)).toEqual(["error", "error", "error", "fell_back"]);
  });
});

describe("timeouts", () => {
  it("a hanging model times out and the chain falls back", async () => {
    h.fake.setBehaviour("t1-a", behave.hang());
    h.fake.setBehaviour("t1-b", behave.ok(SCRIPT));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/t1-a", "beta/t1-b"] }, { providers: { alpha: { timeout_ms: 300, max_retries: 0 } } });
    const { router } = testRouter(cfg, h.db);
    const editionId = newEdition();
    const r = await router.run(scriptTask(), STORY, { editionId });
    expect(r.model).toBe("t1-b");
    const rows = await rowsOf(editionId);
    expect(rows[0]).toMatchObject({ model: "t1-a", outcome: "timeout", error_class: "timeout" });
  });

  it("a stream that stalls after its first chunks times out too", async () => {
    h.fake.setBehaviour("t2-a", behave.slowStream("The bank held rates. Markets rose.", 5_000, 3));
    h.fake.setBehaviour("t2-b", behave.ok(SCRIPT));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/t2-a", "beta/t2-b"] }, { providers: { alpha: { timeout_ms: 300, max_retries: 0, stream: true } } });
    const { router } = testRouter(cfg, h.db);
    const r = await router.run(scriptTask(), STORY);
    expect(r.model).toBe("t2-b");
  });
});

describe("circuit breaker", () => {
  it("opens after consecutive failures; later calls skip the provider without calling it", async () => {
    h.fake.setBehaviour("c1-a", behave.fail(500));
    h.fake.setBehaviour("c1-b", behave.ok(SCRIPT));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/c1-a", "beta/c1-b"] }, { providers: { alpha: { max_retries: 0 } } });
    const { router, logLines } = testRouter(cfg, h.db, { breaker: { threshold: 3, halfOpenAfterMs: 60_000 } });
    for (let i = 0; i < 3; i++) expect((await router.run(scriptTask(), STORY)).model).toBe("c1-b");
    expect(h.fake.callsFor("c1-a")).toHaveLength(3);
    expect(logLines.some((l) => l.includes("circuit breaker opened for provider alpha"))).toBe(true);

    const editionId = newEdition();
    for (let i = 0; i < 4; i++) expect((await router.run(scriptTask(), STORY, { editionId })).model).toBe("c1-b");
    expect(h.fake.callsFor("c1-a")).toHaveLength(3);
    const rows = await rowsOf(editionId);
    expect(rows.filter((x) => x.model === "c1-a").map((x) => x.error_class)).toEqual(Array(4).fill("circuit_open"));
  });

  it("is per vendor: every model of a down vendor shares one breaker, so the outage costs a handful of requests, not a handful per model", async () => {
    for (const model of ["c3-a1", "c3-a2", "c3-a3"]) h.fake.setBehaviour(model, behave.fail(503));
    h.fake.setBehaviour("c3-b", behave.ok(SCRIPT));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/c3-a1", "alpha/c3-a2", "alpha/c3-a3", "beta/c3-b"] }, { providers: { alpha: { max_retries: 0 } } });
    const { router } = testRouter(cfg, h.db, { breaker: { threshold: 3, halfOpenAfterMs: 60_000 } });
    const editionId = newEdition();
    for (let i = 0; i < 5; i++) expect((await router.run(scriptTask(), STORY, { editionId })).model).toBe("c3-b");
    const reached = ["c3-a1", "c3-a2", "c3-a3"].map((model) => h.fake.callsFor(model).length);
    expect(reached.reduce((a, b) => a + b, 0)).toBe(3); // the threshold, for the whole vendor
    // Every model of the vendor was wanted on every run; after the third failure none was called.
    const rows = (await rowsOf(editionId)).filter((r) => r.provider === "alpha");
    expect(rows).toHaveLength(15);
    expect(rows.filter((r) => r.error_class === "circuit_open")).toHaveLength(12);
    expect(new Set(rows.filter((r) => r.error_class === "circuit_open").map((r) => r.model))).toEqual(new Set(["c3-a1", "c3-a2", "c3-a3"]));
  });

  it("without a breaker every call tries the failing provider again", async () => {
    h.fake.setBehaviour("c2-a", behave.fail(500));
    h.fake.setBehaviour("c2-b", behave.ok(SCRIPT));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/c2-a", "beta/c2-b"] }, { providers: { alpha: { max_retries: 0 } } });
    const { router } = testRouter(cfg, h.db, { breaker: false });
    for (let i = 0; i < 6; i++) await router.run(scriptTask(), STORY);
    expect(h.fake.callsFor("c2-a")).toHaveLength(6);
  });
});

describe("chain", () => {
  it("raises ChainExhaustedError naming every model when all fail", async () => {
    h.fake.setBehaviour("x1-a", behave.fail(400));
    h.fake.setBehaviour("x1-b", behave.fail(404, "no such model"));
    const { router } = testRouter(makeConfig(h.fake.url, { default: ["alpha/x1-a", "beta/x1-b"] }), h.db);
    const err = await router.run(scriptTask(), STORY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainExhaustedError);
    expect((err as ChainExhaustedError).attempts.map((a) => [a.ref, a.outcome])).toEqual([
      ["alpha/x1-a", "error"],
      ["beta/x1-b", "error"],
    ]);
    expect((err as Error).message).toContain("writer");
  });

  it("sends the key of the provider it calls, as a bearer token", async () => {
    h.fake.setBehaviour("x2-a", behave.fail(500));
    h.fake.setBehaviour("x2-b", behave.ok(SCRIPT));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/x2-a", "beta/x2-b"] }, { providers: { alpha: { max_retries: 0 } } });
    const { router } = testRouter(cfg, h.db);
    await router.run(scriptTask(), STORY);
    expect(h.fake.callsFor("x2-a")[0].headers.authorization).toBe("Bearer sk-PLANTED-alpha-7f3a9c1e5b");
    expect(h.fake.callsFor("x2-b")[0].headers.authorization).toBe("Bearer sk-PLANTED-beta-2d8e4f6a0c");
  });

  it("sends the task's output limit under the parameter name the provider wants", async () => {
    h.fake.setBehaviour("x4-a", behave.ok(SCRIPT));
    h.fake.setBehaviour("x4-b", behave.ok(SCRIPT));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/x4-a", "beta/x4-b"] }, { providers: { beta: { max_tokens_param: "max_completion_tokens" } } });
    const { router } = testRouter(cfg, h.db);
    const task = { ...scriptTask(), maxOutputTokens: 321 };
    await router.run(task, STORY);
    await router.run(task, STORY, { preferCamps: ["cn"] });
    expect(h.fake.callsFor("x4-a")[0].body).toMatchObject({ max_tokens: 321 });
    expect(h.fake.callsFor("x4-b")[0].body).toMatchObject({ max_completion_tokens: 321 });
    expect(h.fake.callsFor("x4-b")[0].body.max_tokens).toBeUndefined();
  });

  it("a provider whose key variable is unset is skipped without a request", async () => {
    h.fake.setBehaviour("x3-a", behave.ok(SCRIPT));
    h.fake.setBehaviour("x3-b", behave.ok(SCRIPT));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/x3-a", "beta/x3-b"] }, { providers: { alpha: { api_key_env: "UNSET_KEY" } } });
    const { router } = testRouter(cfg, h.db);
    const editionId = newEdition();
    const r = await router.run(scriptTask(), STORY, { editionId });
    expect(r.model).toBe("x3-b");
    expect(h.fake.callsFor("x3-a")).toHaveLength(0);
    expect((await rowsOf(editionId))[0]).toMatchObject({ error_class: "missing_api_key" });
  });
});

describe("streaming and concurrency", () => {
  it("assembles an SSE stream and calls working() as chunks arrive", async () => {
    const content = "The central bank kept rates unchanged on Tuesday. Markets rose on the news.";
    h.fake.setBehaviour("s1-a", behave.slowStream(content, 20, 5));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/s1-a", "beta/s1-b"] }, { providers: { alpha: { stream: true } } });
    const { router } = testRouter(cfg, h.db);
    let working = 0;
    const editionId = newEdition();
    const r = await router.run(scriptTask(), STORY, { editionId, working: () => void working++ });
    expect(r.output).toBe(content);
    expect(h.fake.callsFor("s1-a")[0].body.stream).toBe(true);
    expect(working).toBeGreaterThanOrEqual(2); // once when the attempt starts, again on the first chunk
    const [row] = await rowsOf(editionId);
    expect(row.tokens_estimated).toBe(false);
    expect(row.output_tokens).toBe(Math.ceil(content.length / 4)); // the fake's usage chunk
  });

  it("keeps to a provider's concurrency limit", async () => {
    h.fake.setBehaviour("k1-a", behave.ok(SCRIPT, { delayMs: 40 }));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/k1-a", "beta/k1-b"] }, { providers: { alpha: { max_concurrency: 1 } } });
    const { router } = testRouter(cfg, h.db);
    await Promise.all(Array.from({ length: 4 }, () => router.run(scriptTask(), STORY)));
    expect(h.fake.callsFor("k1-a")).toHaveLength(4);
    expect(h.fake.maxInFlight("k1-a")).toBe(1);
  });

  it("lets calls run side by side up to the limit", async () => {
    h.fake.setBehaviour("k2-a", behave.ok(SCRIPT, { delayMs: 150 }));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/k2-a", "beta/k2-b"] }, { providers: { alpha: { max_concurrency: 3 } } });
    const { router } = testRouter(cfg, h.db);
    await Promise.all(Array.from({ length: 6 }, () => router.run(scriptTask(), STORY)));
    expect(h.fake.maxInFlight("k2-a")).toBeGreaterThan(1);
    expect(h.fake.maxInFlight("k2-a")).toBeLessThanOrEqual(3);
  });
});
