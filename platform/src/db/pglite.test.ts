// PGlite is one session for the process: without a lock a lone write issued while another caller's
// transaction is open runs inside that transaction and is rolled back with it. The dialect's lock
// makes it wait for the transaction to end. The same scenario on kysely-pglite's own (unlocked)
// dialect shows the check can fail.
import { PGlite } from "@electric-sql/pglite";
import { Kysely, sql } from "kysely";
import { KyselyPGlite } from "kysely-pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../runner/transactions.js";
import { migrate, openDatabase, type Db } from "./connect.js";
import type { Database } from "./schema.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const row = (subject: string) => ({ subject, payload: Buffer.from(subject), headers: "{}" });
const subjects = async (db: Db) => (await db.selectFrom("outbox").select("subject").orderBy("id").execute()).map((r) => r.subject);

/** A transaction writes, a lone write comes in while it is open, then the transaction rolls back. */
async function loneWriteDuringRollback(db: Db): Promise<string[]> {
  let lone: Promise<unknown> | undefined;
  await inTransaction(db, async (tx) => {
    await tx.insertInto("outbox").values(row("in the transaction")).execute();
    lone = db.insertInto("outbox").values(row("lone write")).execute();
    // Give the lone write its chance to run while the transaction is open (unlocked, it runs at once).
    await Promise.race([lone, sleep(200)]);
    throw new Error("rolled back");
  }).catch((err: Error) => expect(err.message).toBe("rolled back"));
  await lone;
  return subjects(db);
}

describe("PGlite: one lock on the session", () => {
  let locked: Db;
  let unlocked: Db;

  beforeAll(async () => {
    locked = await openDatabase({ dataDir: "memory://" });
    await migrate(locked);
    unlocked = new Kysely<Database>({ dialect: new KyselyPGlite(await PGlite.create("memory://")).dialect });
    await migrate(unlocked);
  }, 240_000);
  afterAll(async () => {
    await locked?.destroy();
    await unlocked?.destroy();
  });

  it("a lone write waits for an open transaction instead of being rolled back with it", async () => {
    expect(await loneWriteDuringRollback(locked)).toEqual(["lone write"]);
  });

  it("without the lock the same lone write is lost (what the lock prevents)", async () => {
    expect(await loneWriteDuringRollback(unlocked)).toEqual([]);
  });

  it("concurrent transactions do not interleave: one's rollback leaves the other's rows", async () => {
    await locked.deleteFrom("outbox").execute();
    const outcomes = await Promise.allSettled(
      [0, 1, 2, 3, 4, 5].map((i) =>
        inTransaction(locked, async (tx) => {
          await tx.insertInto("outbox").values(row(`tx ${i} first`)).execute();
          await sleep(5);
          await tx.insertInto("outbox").values(row(`tx ${i} second`)).execute();
          if (i % 2) throw new Error(`tx ${i} fails`);
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected", "fulfilled", "rejected"]);
    expect(await subjects(locked)).toEqual(["tx 0 first", "tx 0 second", "tx 2 first", "tx 2 second", "tx 4 first", "tx 4 second"]);
  });

  it("destroy waits for the transaction in progress", async () => {
    const db = await openDatabase({ dataDir: "memory://" });
    const work = inTransaction(db, async (tx) => {
      await sleep(50);
      return (await sql<{ n: number }>`select 1 as n`.execute(tx)).rows[0].n;
    });
    await sleep(5);
    await db.destroy();
    expect(await work).toBe(1);
  }, 120_000);
});
