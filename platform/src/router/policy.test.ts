import { APIConnectionError, APIError } from "openai";
import { BrokenCircuitError } from "cockatiel";
import { describe, expect, it } from "vitest";
import { AttemptTimeoutError, classifyError, retryAfterMs } from "./policy.js";

const apiError = (status: number, headers: Record<string, string> = {}) => APIError.generate(status, { message: "x" }, "x", new Headers(headers));

describe("classifyError", () => {
  it("retries 429, 5xx, timeouts and network errors; not other 4xx", () => {
    expect(classifyError(apiError(429))).toMatchObject({ errorClass: "http_429", retryable: true });
    expect(classifyError(apiError(503))).toMatchObject({ errorClass: "http_503", retryable: true, countsAgainstProvider: true });
    expect(classifyError(new AttemptTimeoutError("t"))).toMatchObject({ outcome: "timeout", retryable: true });
    expect(classifyError(new APIConnectionError({ message: "reset" }))).toMatchObject({ errorClass: "network", retryable: true });
    expect(classifyError(apiError(400))).toMatchObject({ errorClass: "http_400", retryable: false, countsAgainstProvider: false });
    expect(classifyError(apiError(401))).toMatchObject({ retryable: false, countsAgainstProvider: true });
    expect(classifyError(new BrokenCircuitError())).toMatchObject({ errorClass: "circuit_open", retryable: false });
  });
  it("retries 408 and 409 with the 5xx, and reads Retry-After from a 503 too", () => {
    expect(classifyError(apiError(408))).toMatchObject({ errorClass: "http_408", retryable: true, countsAgainstProvider: true });
    expect(classifyError(apiError(409))).toMatchObject({ errorClass: "http_409", retryable: true });
    expect(classifyError(apiError(503, { "retry-after": "3" })).retryAfterMs).toBe(3000);
    expect(classifyError(apiError(404))).toMatchObject({ retryable: false, countsAgainstProvider: true });
  });
  it("reads Retry-After from a 429", () => {
    expect(classifyError(apiError(429, { "retry-after": "7" })).retryAfterMs).toBe(7000);
  });
});

describe("retryAfterMs", () => {
  it("reads seconds, milliseconds and HTTP dates", () => {
    expect(retryAfterMs(new Headers({ "retry-after": "2" }))).toBe(2000);
    expect(retryAfterMs(new Headers({ "retry-after-ms": "150", "retry-after": "9" }))).toBe(150);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:05 GMT" }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
