// Trace context rides from a producer's outbox row through the bus into the consumer's
// `process <subject>` span, so one story's work is one trace.
import { afterAll, beforeAll, expect, it } from "vitest";
import { context, SpanKind, trace } from "@opentelemetry/api";
import { NodeSDK, tracing } from "@opentelemetry/sdk-node";
import type { Db } from "@newsroom/platform/db/connect";
import { Slot } from "@newsroom/platform/events";
import { on } from "@newsroom/platform/handler";
import { startOutboxRelay } from "@newsroom/platform/outbox/relay";
import { startConsumers } from "@newsroom/platform/runner/consumers";
import { encodeOutgoing } from "@newsroom/platform/outbox/write";
import { injectHeaders } from "@newsroom/platform/telemetry/propagation";
import { freshPostgres, need } from "../support/services.js";
import { openTestBus, waitFor } from "./harness.js";

const exporter = new tracing.InMemorySpanExporter();
let sdk: NodeSDK;
let db: Db | undefined;
let drop = async () => {};

beforeAll(async () => {
  process.env.OTEL_METRICS_EXPORTER = "none";
  process.env.OTEL_LOGS_EXPORTER = "none";
  sdk = new NodeSDK({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)], instrumentations: [], autoDetectResources: false });
  sdk.start();
  if (await need("postgres")) {
    const pg = await freshPostgres();
    db = pg.db;
    drop = pg.drop;
  }
}, 30_000);
afterAll(async () => {
  await drop();
  await sdk?.shutdown();
});

it("consumer spans continue the producer's trace across the outbox and the bus", async (ctx) => {
  if (!db) ctx.skip();
  const t = await openTestBus("memory");
  const relay = startOutboxRelay({ db: db!, bus: t.bus, pollMs: 100 });
  let storySeen = false;
  const consumers = await startConsumers({
    bus: t.bus,
    db: db!,
    onCommitted: relay.nudge,
    registrations: [
      on("edition.requested", "trace-scout", async (ev, c) => {
        await c.commit(async (_tx, emit) => {
          await emit("story.ingested", { title: "t", sourceCount: 1, firstPublished: new Date() }, { editionId: c.meta.editionId, storyId: "s1", key: "tr/s1" });
        });
      }),
      on("story.ingested", "trace-editor", async () => {
        storySeen = true;
      }),
    ],
  });
  try {
    // The edition's root span, as the CLI or the gRPC API would open it.
    const root = trace.getTracer("test").startSpan("edition");
    const headers = injectHeaders({}, trace.setSpan(context.active(), root));
    root.end();
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const event = encodeOutgoing("edition.requested", { slot: Slot.SLOT_EVENING, now: new Date(), deadline: new Date() }, { editionId: "tr", key: "tr/req" });
    await t.bus.publish("edition.requested", event, { msgId: "tr-req", headers });
    await waitFor("the story consumer", () => storySeen);
    await waitFor("its span", () => exporter.getFinishedSpans().some((s) => s.name === "process story.ingested"));

    const spans = exporter.getFinishedSpans();
    const byName = (n: string) => spans.find((s) => s.name === n)!;
    const traceId = root.spanContext().traceId;
    const scout = byName("process edition.requested");
    const send = byName("send story.ingested");
    const editor = byName("process story.ingested");
    for (const s of [scout, send, editor]) expect(s.spanContext().traceId).toBe(traceId);
    expect(scout.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(send.parentSpanContext?.spanId).toBe(scout.spanContext().spanId);
    expect(editor.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
    expect(scout.kind).toBe(SpanKind.CONSUMER);
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(editor.attributes).toMatchObject({
      "messaging.system": "nats",
      "messaging.destination.name": "story.ingested",
      "messaging.consumer.group.name": "trace-editor",
    });
  } finally {
    await consumers.stop(1_000);
    await relay.stop();
    await t.dispose();
  }
});
