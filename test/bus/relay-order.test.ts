// The relay's passes overlap (the next claims while the previous awaits its acks and commits):
// rows still go out once each and in id order, also when a publish fails while the next pass
// has already claimed newer rows.
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

  const start = async (ctx: TestContext, fail?: (id: number) => Promise<boolean>) => {
    if (!available) ctx.skip();
    await db.deleteFrom("outbox").execute();
    t = await openTestBus("jetstream");
    const sent: number[] = [];
    relay = startOutboxRelay({ db, bus: recording(t.bus, sent, fail), pollMs: 100 });
    return { sent, relay };
  };

  it("rows committed while passes run go out once each, in id order", async (ctx) => {
    const { sent, relay } = await start(ctx);
    const ids: number[] = [];
    // Concurrent producers, each nudging after its commit, as the runner does.
    await Promise.all(
      [0, 1, 2, 3].map(async (w) => {
        for (let i = 0; i < 25; i++) {
          ids.push(await insert(w * 100 + i));
          relay.nudge();
        }
      }),
    );
    await waitFor("every row published", async () => (await unpublished()) === 0);
    expect(sent).toEqual([...ids].sort((a, b) => a - b));
  });

  it("a failed publish holds back the newer rows another pass claimed meanwhile", async (ctx) => {
    let failing: number | undefined;
    let failed = false;
    const { sent, relay } = await start(ctx, async (id) => {
      if (id !== failing || failed) return false;
      failed = true;
      // Slow failure: the next pass claims newer rows before this one reports.
      await sleep(150);
      return true;
    });
    failing = await insert(1);
    relay.nudge();
    await sleep(20);
    const later = [await insert(2), await insert(3)];
    relay.nudge();
    await waitFor("every row published", async () => (await unpublished()) === 0);
    expect(failed).toBe(true);
    expect(sent).toEqual([failing, ...later]);
  });
});
