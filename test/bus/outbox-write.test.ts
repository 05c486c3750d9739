// The one outbox writer: an event queued with writeOutboxEvent is a row the relay can publish
// (subject, wire bytes with its meta, producer headers), and it goes or stays with its transaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@newsroom/platform/db/connect";
import { decodeEvent } from "@newsroom/platform/events";
import { outboxEmit, writeOutboxEvent } from "@newsroom/platform/outbox/write";
import { inTransaction } from "@newsroom/platform/runner/transactions";
import { freshPglite } from "../support/services.js";

let db: Db;
beforeAll(async () => {
  db = await freshPglite();
}, 60_000);
afterAll(() => db?.destroy());

const rows = () => db.selectFrom("outbox").selectAll().orderBy("id").execute();

describe("writeOutboxEvent", () => {
  it("writes the event's subject, wire bytes and meta inside the caller's transaction", async () => {
    await inTransaction(db, (tx) => writeOutboxEvent(tx, "segment.voiced", { scriptId: "sc1", segmentCount: 3, durationMs: 4200 }, { editionId: "ed1", storyId: "st1", key: "voiced:sc1" }));
    const [row] = await rows();
    expect(row.subject).toBe("segment.voiced");
    const event = decodeEvent("segment.voiced", row.payload);
    expect(event).toMatchObject({ scriptId: "sc1", segmentCount: 3, durationMs: 4200, meta: { editionId: "ed1", storyId: "st1", idempotencyKey: "voiced:sc1" } });
    expect(row.headers).toEqual(expect.any(Object));
  });

  it("leaves no row when the transaction rolls back, and an emit counts what it queued", async () => {
    await db.deleteFrom("outbox").execute();
    let queued = 0;
    await inTransaction(db, async (tx) => {
      const emit = outboxEmit(tx, () => queued++);
      await emit("edition.ingested", { candidateCount: 2 }, { editionId: "ed2", key: "ingested:ed2" });
      throw new Error("rolled back");
    }).catch((err: Error) => expect(err.message).toBe("rolled back"));
    expect(queued).toBe(1);
    expect(await rows()).toEqual([]);
  });
});
