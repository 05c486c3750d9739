// The real SDK in child processes, exporting OTLP/HTTP JSON to the fake receiver: the same
// mechanism the multi-process tests use to check that one trace spans every process.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver } from "../fakes/otlp-receiver.js";

const run = promisify(execFile);
const fixture = fileURLToPath(new URL("./fixtures/emit-span.ts", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

interface FixtureOutput {
  carrier: Record<string, string>;
  plan: { enabled: boolean; reason: string };
  connects: number;
}

/** The parent's environment without any OTEL_* / TRACEPARENT, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OTEL_") && k !== "TRACEPARENT" && k !== "TRACESTATE"));
  return { ...env, ...extra };
}

async function emit(service: string, extra: Record<string, string>, step = "one"): Promise<FixtureOutput> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", fixture, service, step], { cwd: root, env: cleanEnv(extra) });
  return JSON.parse(stdout.trim().split("\n").pop()!) as FixtureOutput;
}

describe("OTLP receiver with the real SDK in a child process", () => {
  let receiver: OtlpReceiver;
  const exportTo = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json" });

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it("receives the child's span with its service name, attributes and events", async () => {
    const out = await emit("svc-alpha", exportTo(), "alpha");
    expect(out.plan.enabled).toBe(true);
    const spans = await receiver.waitFor((s) => s.some((x) => x.serviceName === "svc-alpha"));
    const span = spans.find((x) => x.serviceName === "svc-alpha")!;
    expect(span.name).toBe("fixture work");
    expect(span.kind).toBe(SPAN_KIND.internal);
    expect(span.attributes["fixture.step"]).toBe("alpha");
    expect(span.events).toEqual([{ name: "fixture.event", attributes: { "fixture.n": 1 } }]);
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(out.carrier.traceparent).toBe(`00-${span.traceId}-${span.spanId}-01`);
  });

  it("OTEL_SERVICE_NAME overrides the name the service gives itself", async () => {
    await emit("svc-default", { ...exportTo(), OTEL_SERVICE_NAME: "svc-renamed" });
    const spans = await receiver.waitFor((s) => s.some((x) => x.serviceName === "svc-renamed"));
    expect(spans.some((x) => x.serviceName === "svc-default")).toBe(false);
  });

  it("a traceparent handed to a child makes its span part of the parent's trace", async () => {
    const traceId = randomBytes(16).toString("hex");
    const parentSpanId = randomBytes(8).toString("hex");
    await emit("svc-child", { ...exportTo(), TRACEPARENT: `00-${traceId}-${parentSpanId}-01` });
    const spans = await receiver.waitFor((s) => s.some((x) => x.serviceName === "svc-child"));
    const span = spans.find((x) => x.serviceName === "svc-child")!;
    expect(span.traceId).toBe(traceId);
    expect(span.parentSpanId).toBe(parentSpanId);
  });

  it("headers injected in one process continue the trace in the next", async () => {
    const first = await emit("svc-first", exportTo());
    const second = await emit("svc-second", { ...exportTo(), TRACEPARENT: first.carrier.traceparent });
    const spans = await receiver.waitFor((s) => ["svc-first", "svc-second"].every((n) => s.some((x) => x.serviceName === n)));
    const a = spans.find((x) => x.serviceName === "svc-first")!;
    const b = spans.find((x) => x.serviceName === "svc-second")!;
    expect(b.traceId).toBe(a.traceId);
    expect(b.parentSpanId).toBe(a.spanId);
    expect(second.carrier.traceparent).toContain(a.traceId);
  });

  it("with no OTEL_* set, telemetry installs nothing and opens no socket", async () => {
    const before = receiver.requests();
    const quiet = await emit("svc-quiet", {});
    expect(quiet.plan.enabled).toBe(false);
    expect(quiet.carrier).toEqual({}); // no propagator registered
    expect(quiet.connects).toBe(0);
    // The same count measured when exporting is more than zero, so the zero above means something.
    const loud = await emit("svc-loud", exportTo());
    expect(loud.connects).toBeGreaterThan(0);
    await receiver.waitFor((s) => s.some((x) => x.serviceName === "svc-loud"));
    expect(receiver.spans().some((x) => x.serviceName === "svc-quiet")).toBe(false);
    expect(receiver.requests()).toBeGreaterThan(before);
  });

  it("OTEL_SDK_DISABLED=true wins over a configured endpoint", async () => {
    const out = await emit("svc-disabled", { ...exportTo(), OTEL_SDK_DISABLED: "true" });
    expect(out.plan.enabled).toBe(false);
    expect(out.connects).toBe(0);
  });

  it("answers non-JSON exports with 415 and a hint", async () => {
    const res = await fetch(`${receiver.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: new Uint8Array([1, 2]) });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { message: string }).message).toContain("http/json");
  });
});
