// Trace context crosses a gRPC call: the client span, the server span and the handler's own work
// share one trace id. An in-memory exporter in this process collects the spans.
import { status as Status, type ServiceError } from "@grpc/grpc-js";
import { trace, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { NodeSDK, tracing } from "@opentelemetry/sdk-node";
import { Slot } from "@newsroom/proto/events";
import { NewsroomServiceClient, NewsroomServiceService, type NewsroomServiceServer } from "@newsroom/proto/newsroom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grpcClientArgs } from "@newsroom/platform/grpc/client";
import { startGrpcServer, type RunningGrpcServer } from "@newsroom/platform/grpc/server";
import { withSpan } from "@newsroom/platform/telemetry/propagation";

const exporter = new tracing.InMemorySpanExporter();
// Explicit empty readers and processors: no metrics or logs exporter, no network.
const sdk = new NodeSDK({
  spanProcessors: [new tracing.SimpleSpanProcessor(exporter)],
  metricReaders: [],
  logRecordProcessors: [],
  autoDetectResources: false,
  serviceName: "trace-test",
});

/** The span id active inside each handler run, by edition id asked for. */
const activeInHandler = new Map<string, string | undefined>();
const impl: NewsroomServiceServer = {
  getEdition: async (call, cb) => {
    const id = call.request.editionId;
    await withSpan("load edition", { "newsroom.edition.id": id }, async () => {});
    activeInHandler.set(id, trace.getActiveSpan()?.spanContext().spanId);
    if (id === "missing") return cb({ code: Status.NOT_FOUND, details: "no such edition" });
    cb(null, { edition: { editionId: id, slot: Slot.SLOT_MORNING, status: "requested", language: "en", now: undefined, deadline: undefined, publishedAt: undefined, location: "", storyCount: 0 } });
  },
  runEdition: (_c, cb) => cb({ code: Status.INTERNAL, details: "boom" }),
  listEditions: (_c, cb) => cb(null, { editions: [] }),
  watchEdition: (call) => {
    call.write({ editionId: call.request.editionId, storyId: "", stage: "edition", status: "published", message: "", at: new Date() });
    call.end();
  },
};

let server: RunningGrpcServer;
let client: NewsroomServiceClient;
beforeAll(async () => {
  sdk.start();
  server = await startGrpcServer({ port: 0, host: "127.0.0.1", services: [{ definition: NewsroomServiceService, implementation: impl }], env: {} });
  client = new NewsroomServiceClient(`127.0.0.1:${server.port}`, ...grpcClientArgs({}));
});
afterAll(async () => {
  client?.close();
  await server?.shutdown(2000);
  await sdk.shutdown();
});

const getEdition = (id: string) =>
  new Promise<void>((resolve, reject) => client.getEdition({ editionId: id }, (err: ServiceError | null) => (err ? reject(err) : resolve())));
const spansOf = (traceId: string) => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);

describe("trace context over gRPC", () => {
  it("client span, server span and the handler's work are one trace", async () => {
    const { traceId, spanId: callerId } = await withSpan("caller", {}, async (span) => {
      await getEdition("e-trace");
      return span.spanContext();
    });
    const spans = spansOf(traceId);
    const clientSpan = spans.find((s) => s.kind === SpanKind.CLIENT)!;
    const serverSpan = spans.find((s) => s.kind === SpanKind.SERVER)!;
    const inner = spans.find((s) => s.name === "load edition")!;

    expect(clientSpan.name).toBe("newsroom.v1.NewsroomService/GetEdition");
    expect(clientSpan.parentSpanContext?.spanId).toBe(callerId);
    expect(serverSpan.name).toBe("newsroom.v1.NewsroomService/GetEdition");
    expect(serverSpan.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
    expect(serverSpan.attributes).toMatchObject({
      "rpc.system": "grpc",
      "rpc.service": "newsroom.v1.NewsroomService",
      "rpc.method": "GetEdition",
      "rpc.grpc.status_code": Status.OK,
    });
    // The handler runs inside the server span.
    expect(inner.parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId);
    expect(activeInHandler.get("e-trace")).toBe(serverSpan.spanContext().spanId);
  });

  it("records status codes: a client error is not the server's fault, an internal error is", async () => {
    const { traceId } = await withSpan("caller", {}, async (span) => {
      await getEdition("missing").catch(() => {});
      await new Promise<void>((resolve) => client.runEdition({ slot: Slot.SLOT_UNSPECIFIED, now: undefined }, () => resolve()));
      return span.spanContext();
    });
    const spans = spansOf(traceId);
    const find = (kind: SpanKind, method: string) => spans.find((s) => s.kind === kind && s.name.endsWith(`/${method}`))!;
    expect(find(SpanKind.SERVER, "GetEdition").attributes["rpc.grpc.status_code"]).toBe(Status.NOT_FOUND);
    expect(find(SpanKind.SERVER, "GetEdition").status.code).toBe(SpanStatusCode.UNSET);
    expect(find(SpanKind.CLIENT, "GetEdition").status.code).toBe(SpanStatusCode.ERROR);
    expect(find(SpanKind.SERVER, "RunEdition").status).toMatchObject({ code: SpanStatusCode.ERROR, message: "boom" });
  });

  it("a server-streaming call is traced too, and its span ends with the stream", async () => {
    const { traceId } = await withSpan("caller", {}, async (span) => {
      await new Promise<void>((resolve, reject) => client.watchEdition({ editionId: "e-stream" }).on("end", resolve).on("error", reject).resume());
      return span.spanContext();
    });
    // The server span may end a moment after the client sees the stream's end.
    await expect.poll(() => spansOf(traceId).some((s) => s.kind === SpanKind.SERVER)).toBe(true);
    const serverSpan = spansOf(traceId).find((s) => s.kind === SpanKind.SERVER)!;
    expect(serverSpan.name).toBe("newsroom.v1.NewsroomService/WatchEdition");
    expect(serverSpan.attributes["rpc.grpc.status_code"]).toBe(Status.OK);
  });
});
