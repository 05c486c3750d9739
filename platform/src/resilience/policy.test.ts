import { BrokenCircuitError } from "cockatiel";
import { describe, expect, it } from "vitest";
import { backoffSequence, breakerIsOpen, providerBreaker, retryableStatus } from "./policy.js";

describe("retryableStatus", () => {
  it("asks again after a timeout, conflict, rate limit or server fault; never after another client error", () => {
    for (const s of [408, 409, 429, 500, 502, 503, 504]) expect(retryableStatus(s), String(s)).toBe(true);
    for (const s of [200, 400, 401, 403, 404, 413, 422]) expect(retryableStatus(s), String(s)).toBe(false);
  });
});

describe("providerBreaker", () => {
  const fail = (message: string) => () => Promise.reject(new Error(message));
  it("opens after `threshold` counted failures in a row and then fails at once", async () => {
    const breaker = providerBreaker({ threshold: 2, halfOpenAfterMs: 60_000 }, (e) => e.message !== "ignored");
    let calls = 0;
    const call = (message: string) => breaker.execute(() => (calls++, fail(message)()));
    await expect(call("ignored")).rejects.toThrow("ignored");
    await expect(call("down")).rejects.toThrow("down");
    expect(breakerIsOpen(breaker)).toBe(false);
    await expect(call("down")).rejects.toThrow("down");
    expect(breakerIsOpen(breaker)).toBe(true);
    await expect(call("down")).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(calls).toBe(3);
  });
});

describe("backoffSequence", () => {
  it("gives jittered delays within the bounds, growing on average", () => {
    const runs = Array.from({ length: 200 }, () => {
      const next = backoffSequence({ initialDelayMs: 100, maxDelayMs: 4000 });
      return [next(), next(), next(), next()];
    });
    for (const r of runs) for (const d of r) expect(d >= 0 && d <= 4000).toBe(true);
    const mean = (i: number) => runs.reduce((s, r) => s + r[i], 0) / runs.length;
    expect(mean(3)).toBeGreaterThan(mean(0));
    expect(new Set(runs.map((r) => Math.round(r[0]))).size).toBeGreaterThan(10); // jittered, not fixed
  });
});
