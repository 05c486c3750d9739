// Clear errors instead of hangs or stack traces, and PGlite transactions that do not interleave.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectJetStream } from "@newsroom/platform/bus/jetstream";
import type { Db } from "@newsroom/platform/db/connect";
import { inTransaction } from "@newsroom/platform/runner/transactions";
import { freshPglite } from "../support/services.js";

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("unreachable NATS", () => {
  it("fails at once with a message naming the address, without the password or a stack trace", async () => {
    const port = await closedPort();
    const err = await connectJetStream({ url: `nats://svc:s3cret-pass@127.0.0.1:${port}` }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.name).toBe("BusUnavailableError");
    expect(err?.message).toMatch(new RegExp(`^cannot reach NATS at nats://svc:\\*\\*\\*@127\\.0\\.0\\.1:${port}: `));
    expect(err?.message).not.toContain("s3cret-pass");
    expect(err?.message).not.toMatch(/\n\s+at /);
  });
});

describe("transactions on PGlite (one session for the whole process)", () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshPglite();
  }, 60_000);
  afterAll(async () => db?.destroy());

  it("a rollback does not undo another transaction running at the same time", async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const failing = inTransaction(db, async (tx) => {
      await tx.insertInto("processed_events").values({ consumer: "a", key: "rolled-back" }).execute();
      await sleep(50);
      throw new Error("handler failed");
    });
    const succeeding = inTransaction(db, async (tx) => {
      await sleep(10);
      await tx.insertInto("processed_events").values({ consumer: "b", key: "kept" }).execute();
    });
    await expect(failing).rejects.toThrow("handler failed");
    await succeeding;
    const rows = await db.selectFrom("processed_events").select(["consumer", "key"]).orderBy("consumer").execute();
    expect(rows).toEqual([{ consumer: "b", key: "kept" }]);
  });
});
