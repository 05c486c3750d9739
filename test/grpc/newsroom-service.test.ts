// The Newsroom gRPC API on PGlite through a real server and the generated client.
import { status as Status, type ServiceError } from "@grpc/grpc-js";
import { Slot } from "@newsroom/proto/events";
import { NewsroomServiceClient, NewsroomServiceService, type GetEditionResponse, type ListEditionsResponse, type RunEditionResponse, type WatchEditionResponse } from "@newsroom/proto/newsroom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@newsroom/platform/db/connect";
import { decodeEvent } from "@newsroom/platform/events";
import { grpcClientArgs } from "@newsroom/platform/grpc/client";
import { newsroomServiceImpl } from "@newsroom/ingest/grpc";
import { startGrpcServer, type RunningGrpcServer } from "@newsroom/platform/grpc/server";
import { freshPglite } from "../support/services.js";
import { testConfig } from "./fixtures.js";

let db: Db;
let server: RunningGrpcServer;
let client: NewsroomServiceClient;
let committed = 0;

beforeAll(async () => {
  db = await freshPglite();
  const implementation = newsroomServiceImpl({ db, config: testConfig(), onCommitted: () => committed++, pollMs: 20 });
  server = await startGrpcServer({ port: 0, host: "127.0.0.1", services: [{ definition: NewsroomServiceService, implementation }], env: {} });
  client = new NewsroomServiceClient(`127.0.0.1:${server.port}`, ...grpcClientArgs({}));
}, 60_000);
afterAll(async () => {
  client?.close();
  await server?.shutdown(2000);
  await db?.destroy();
});

/** A unary call on the generated client, as a promise. */
function unary<Res>(start: (cb: (err: ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => start((err, res) => (err ? reject(err) : resolve(res))));
}
const runEdition = (slot = Slot.SLOT_UNSPECIFIED, now?: Date) =>
  unary<RunEditionResponse>((cb) => client.runEdition({ slot, now }, cb)).then((r) => r.edition!);
const getEdition = (editionId: string) => unary<GetEditionResponse>((cb) => client.getEdition({ editionId }, cb));
const listEditions = (limit: number) => unary<ListEditionsResponse>((cb) => client.listEditions({ limit }, cb));

describe("Newsroom gRPC service", () => {
  it("RunEdition creates the edition row and its edition.requested outbox row", async () => {
    const before = committed;
    const edition = await runEdition(Slot.SLOT_EVENING, new Date("2026-11-28T01:00:00Z"));
    expect(edition).toMatchObject({ slot: Slot.SLOT_EVENING, status: "requested", language: "en", storyCount: 0, location: "" });
    expect(edition.editionId).toMatch(/^2026-11-28-evening-[0-9a-f]{6}$/);
    expect(edition.now?.toISOString()).toBe("2026-11-28T01:00:00.000Z");
    expect(edition.deadline).toBeInstanceOf(Date);
    expect(committed).toBe(before + 1);

    const row = await db.selectFrom("editions").selectAll().where("id", "=", edition.editionId).executeTakeFirstOrThrow();
    expect(row.status).toBe("requested");
    const events = (await db.selectFrom("outbox").selectAll().where("subject", "=", "edition.requested").execute()).map((o) =>
      decodeEvent("edition.requested", o.payload),
    );
    expect(events.filter((e) => e.meta?.editionId === edition.editionId)).toHaveLength(1);
  });

  it("GetEdition and ListEditions read them back", async () => {
    const a = await runEdition();
    const b = await runEdition(Slot.SLOT_MORNING);
    const got = (await getEdition(a.editionId)).edition;
    expect(got).toEqual(a);
    const listed = (await listEditions(0)).editions.map((e) => e.editionId);
    expect(listed).toEqual(expect.arrayContaining([a.editionId, b.editionId]));
    expect((await listEditions(1)).editions).toHaveLength(1);
  });

  it("answers bad requests with NOT_FOUND and INVALID_ARGUMENT", async () => {
    await expect(getEdition("2020-01-01-morning-abcdef")).rejects.toMatchObject({
      code: Status.NOT_FOUND,
      details: expect.stringContaining("2020-01-01-morning-abcdef"),
    });
    await expect(getEdition("")).rejects.toMatchObject({ code: Status.INVALID_ARGUMENT, details: "edition_id: required" });
    await expect(listEditions(-1)).rejects.toMatchObject({ code: Status.INVALID_ARGUMENT, details: expect.stringContaining("limit") });
    await expect(runEdition(7 as Slot)).rejects.toMatchObject({ code: Status.INVALID_ARGUMENT, details: expect.stringContaining("slot") });
  });

  it("WatchEdition streams progress lines as they are written and ends when the edition is published", async () => {
    const { editionId } = await runEdition();
    const received: WatchEditionResponse[] = [];
    const stream = client.watchEdition({ editionId });
    const ended = new Promise<void>((resolve, reject) => {
      stream.on("end", resolve);
      stream.on("error", reject);
    });
    stream.on("data", async (msg: WatchEditionResponse) => {
      received.push(msg);
      if (msg.stage === "edition" && msg.status === "requested") {
        // Written after the watch started: these must be streamed as news.
        await db.insertInto("edition_events").values({ edition_id: editionId, story_id: "story-1", stage: "write", status: "info", message: "drafted story 1" }).execute();
        await db.insertInto("edition_events").values({ edition_id: editionId, stage: "produce", status: "info", message: "assembled" }).execute();
        await db.updateTable("editions").set({ status: "published", published_at: new Date() }).where("id", "=", editionId).execute();
      }
    });
    await ended;

    expect(received.map((m) => `${m.stage}/${m.status}: ${m.message}`)).toEqual([
      "edition/requested: edition is requested",
      "write/info: drafted story 1",
      "produce/info: assembled",
      "edition/published: edition is published",
    ]);
    expect(received[1]).toMatchObject({ editionId, storyId: "story-1" });
    expect(received.every((m) => m.at instanceof Date)).toBe(true);
  });

  it("WatchEdition of an unknown edition fails with NOT_FOUND; a cancelled watch ends for the client", async () => {
    const missing = await new Promise<ServiceError>((resolve) => client.watchEdition({ editionId: "2020-01-01-evening-000000" }).on("error", resolve));
    expect(missing.code).toBe(Status.NOT_FOUND);

    const { editionId } = await runEdition();
    const stream = client.watchEdition({ editionId });
    const cancelled = await new Promise<ServiceError>((resolve) => {
      stream.on("error", resolve);
      stream.once("data", () => stream.cancel());
    });
    expect(cancelled.code).toBe(Status.CANCELLED);
  });
});
