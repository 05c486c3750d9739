// The relay's passes overlap (the next claims while the previous awaits its acks and commits):
// rows still go out once each and in commit-causal order (a row after every row committed before
// it was written; one transaction's rows in id order), also when a publish fails while the next
// pass has already claimed newer rows.
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from "vitest";
import type { Bus } from "@newsroom/platform/bus/types";
import type { Db } from "@newsroom/platform/db/connect";
import { startOutboxRelay, type OutboxRelay } from "@newsroom/platform/outbox/relay";
import { freshPostgres, need } from "../support/services.js";
import { openTestBus, waitFor, type TestBus } from "./harness.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe("outbox relay order with overlapping passes (Postgres + JetStream)", () => {
  let available = true;
  let db: Db;
  let drop = async () => {};
  let t: TestBus | undefined;
  let relay: OutboxRelay | undefined;

  beforeAll(async () => {
    available = (await need("postgres")) && (await need("nats"));
    if (!available) return;
    const pg = await freshPostgres();
    db = pg.db;
    drop = pg.drop;
  }, 60_000);
  afterEach(async () => {
    await relay?.stop();
    await t?.dispose();
    relay = t = undefined;
  });
  afterAll(async () => drop());

  const insert = async (n: number): Promise<number> => {
    const row = await db
      .insertInto("outbox")
      .values({ subject: "story.ingested", payload: Buffer.from(`row ${n}`), headers: "{}" })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  };
  const unpublished = async () => (await db.selectFrom("outbox").select("id").where("published_at", "is", null).execute()).length;

  /** Records the publishes that were acked, in the order they were sent. */
  const recording = (bus: Bus, sent: number[], fail?: (id: number) => Promise<boolean>): Bus => ({
    ...bus,
    publish: async (subject, data, o) => {
      const id = Number(o.msgId);
      if (fail && (await fail(id))) throw new Error("bus hiccup");
      sent.push(id);
      return bus.publish(subject, data, o);
    },
  });

  const start = async (ctx: TestContext, fail?: (id: number) => Promise<boolean>, batch?: number) => {
    if (!available) ctx.skip();
    await db.deleteFrom("outbox").execute();
    t = await openTestBus("jetstream");
    const sent: number[] = [];
    relay = startOutboxRelay({ db, bus: recording(t.bus, sent, fail), pollMs: 100, batch });
    return { sent, relay };
  };

  it("rows go out once each, in commit-causal order: after every row committed before they were written", async (ctx) => {
    // Small batches and paced producers: many overlapping passes while rows are still being written.
    const { sent, relay } = await start(ctx, undefined, 4);
    // Ticks of one logical clock: a row written after another row's commit has a larger start tick
    // than that row's commit tick. Ids are taken at insert and rows become visible at commit, so
    // rows of concurrent producers may commit (and go out) out of id order; causality must hold.
    let clock = 0;
    const rows: { ids: number[]; start: number; committed: number; producer: number }[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(async (w) => {
        for (let i = 0; i < 25; i++) {
          const start = ++clock;
          // Every fifth write is a transaction of three rows, as a handler that emits several events.
          const ids = i % 5 === 0
            ? await db.transaction().execute(async (tx) => {
                const r = await tx.insertInto("outbox").values([0, 1, 2].map((k) => ({ subject: "story.ingested", payload: Buffer.from(`row ${w}.${i}.${k}`), headers: "{}" }))).returning("id").execute();
                return r.map((x) => Number(x.id));
              })
            : [await insert(w * 100 + i)];
          rows.push({ ids, start, committed: ++clock, producer: w });
          relay.nudge();
          await sleep(Math.random() * 4);
        }
      }),
    );
    const all = rows.flatMap((r) => r.ids);
    await waitFor("every row published", async () => (await unpublished()) === 0);
    // Once each, none lost.
    expect([...sent].sort((a, b) => a - b)).toEqual([...all].sort((a, b) => a - b));
    const at = new Map(sent.map((id, i) => [id, i]));
    // Rows of one transaction in id order.
    for (const r of rows) expect(r.ids.map((id) => at.get(id)!)).toEqual([...r.ids.map((id) => at.get(id)!)].sort((a, b) => a - b));
    // A row committed before another was written goes out before it (this covers each producer's own order).
    const violations: string[] = [];
    for (const a of rows)
      for (const b of rows)
        if (a.committed < b.start && at.get(a.ids.at(-1)!)! > at.get(b.ids[0])!) violations.push(`${a.ids} (committed) went out after ${b.ids} (written later)`);
    expect(violations).toEqual([]);
  });

  it("a failed publish holds back the newer rows another pass claimed meanwhile", async (ctx) => {
    // The first publish fails, whichever row it is: the relay may claim row 1 as soon as it commits,
    // before the test could name it.
    let failedId: number | undefined;
    const { sent, relay } = await start(ctx, async (id) => {
      if (failedId !== undefined) return false;
      failedId = id;
      // Slow failure: the next pass claims newer rows before this one reports.
      await sleep(150);
      return true;
    });
    const first = await insert(1);
    relay.nudge();
    await sleep(20);
    const later = [await insert(2), await insert(3)];
    relay.nudge();
    await waitFor("every row published", async () => (await unpublished()) === 0);
    expect(failedId).toBe(first);
    expect(sent).toEqual([first, ...later]);
  });
});
