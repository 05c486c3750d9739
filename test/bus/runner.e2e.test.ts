// Runner + outbox + relay end to end: on Postgres with JetStream, and on PGlite with the
// in-process bus (the embedded default).
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from "vitest";
import type { Bus } from "@newsroom/platform/bus/types";
import { PermanentError } from "@newsroom/platform/bus/types";
import { openDatabase, type Db } from "@newsroom/platform/db/connect";
import { listDeadLetters, replayDeadLetter } from "@newsroom/platform/deadletters/ops";
import { Slot, type EventName } from "@newsroom/platform/events";
import { on, type Registration } from "@newsroom/platform/handler";
import { startOutboxRelay, type OutboxRelay } from "@newsroom/platform/outbox/relay";
import { startConsumers, type RunningConsumers } from "@newsroom/platform/runner/consumers";
import { encodeOutgoing } from "@newsroom/platform/outbox/write";
import { freshPglite, freshPostgres, need } from "../support/services.js";
import { bytes, openTestBus, waitFor, type BusKind, type TestBus } from "./harness.js";

interface Setup {
  name: string;
  bus: BusKind;
  db: "postgres" | "pglite";
}

const setups: Setup[] = [
  { name: "Postgres + JetStream", bus: "jetstream", db: "postgres" },
  { name: "PGlite + in-process bus", bus: "memory", db: "pglite" },
];

describe.each(setups)("runner, outbox and relay: $name", (setup) => {
  let available = true;
  let db: Db;
  let pgUrl = "";
  let dropDb = async () => {};
  let t: TestBus | undefined;
  let relay: OutboxRelay | undefined;
  let consumers: RunningConsumers | undefined;
  let n = 0;

  beforeAll(async () => {
    if (setup.db === "postgres") {
      available = (await need("postgres")) && (await need("nats"));
      if (!available) return;
      const pg = await freshPostgres();
      db = pg.db;
      pgUrl = pg.url;
      dropDb = pg.drop;
    } else {
      db = await freshPglite();
      dropDb = () => db.destroy();
    }
  }, 60_000);
  afterEach(async () => {
    await consumers?.stop(2_000);
    await relay?.stop();
    await t?.dispose();
    consumers = relay = t = undefined;
  });
  afterAll(async () => dropDb());

  /** A fresh bus with the runner and the relay on it. */
  const run = async (ctx: TestContext, registrations: Registration<EventName>[]): Promise<Bus> => {
    if (!available) ctx.skip();
    t = await openTestBus(setup.bus);
    relay = startOutboxRelay({ db, bus: t.bus, pollMs: 200 });
    consumers = await startConsumers({ bus: t.bus, db, registrations, onCommitted: relay.nudge });
    return t.bus;
  };
  const edition = () => `ed-${setup.db}-${++n}`;
  const stages = async (editionId: string, stage: string) =>
    (await db.selectFrom("edition_events").select("message").where("edition_id", "=", editionId).where("stage", "=", stage).execute()).map((r) => r.message);
  const requested = (editionId: string) => encodeOutgoing("edition.requested", { slot: Slot.SLOT_MORNING, now: new Date(), deadline: new Date() }, { editionId, key: `${editionId}/requested` });

  it("a handler commits a row and emits an event; the next consumer receives it", async (ctx) => {
    const got: { storyId: string; title: string }[] = [];
    const bus = await run(ctx, [
      on("edition.requested", "t-scout", async (ev, c) => {
        await c.commit(async (tx, emit) => {
          await tx.insertInto("edition_events").values({ edition_id: c.meta.editionId, stage: "scout", status: "info", message: "found s1" }).execute();
          await emit("story.ingested", { title: "Rain in Shanghai", sourceCount: 2, firstPublished: new Date() }, { editionId: c.meta.editionId, storyId: "s1", key: `${c.meta.editionId}/s1/ingested` });
        });
      }),
      on("story.ingested", "t-editor", async (ev, c) => {
        got.push({ storyId: ev.meta!.storyId, title: ev.title });
        await c.commit(async (tx) => {
          await tx.insertInto("edition_events").values({ edition_id: c.meta.editionId, story_id: c.meta.storyId, stage: "editor", status: "info", message: ev.title }).execute();
        });
      }),
    ]);
    const ed = edition();
    await bus.publish("edition.requested", requested(ed), { msgId: `${ed}-req` });
    await waitFor("the editor's row", async () => (await stages(ed, "editor")).length === 1);
    expect(await stages(ed, "scout")).toEqual(["found s1"]);
    expect(got).toEqual([{ storyId: "s1", title: "Rain in Shanghai" }]);
    const outbox = await db.selectFrom("outbox").select(["subject", "published_at"]).execute();
    expect(outbox.filter((r) => r.subject === "story.ingested").every((r) => r.published_at !== null)).toBe(true);
    const keys = await db.selectFrom("processed_events").select(["consumer", "key"]).where("key", "like", `${ed}/%`).orderBy("consumer").execute();
    expect(keys).toEqual([
      { consumer: "t-editor", key: `${ed}/s1/ingested` },
      { consumer: "t-scout", key: `${ed}/requested` },
    ]);
  });

  it("an event delivered again (re-published, or redelivered after a crash past the commit) yields one effect row", async (ctx) => {
    let calls = 0;
    let crashAfterCommit = true;
    const bus = await run(ctx, [
      on("story.ingested", "t-once", async (ev, c) => {
        calls++;
        await c.commit(async (tx) => {
          await tx.insertInto("edition_events").values({ edition_id: c.meta.editionId, stage: "once", status: "info", message: ev.title }).execute();
        });
        // Committed, then the process "dies" before the ack: the bus redelivers.
        if (crashAfterCommit) {
          crashAfterCommit = false;
          throw new Error("crashed after commit");
        }
      }),
    ]);
    const ed = edition();
    const event = encodeOutgoing("story.ingested", { title: "one", sourceCount: 1, firstPublished: new Date() }, { editionId: ed, storyId: "s1", key: `${ed}/s1` });
    await bus.publish("story.ingested", event, { msgId: `${ed}-a` });
    // The same event under another message id, as a replay or a relay re-publish would send it.
    await bus.publish("story.ingested", event, { msgId: `${ed}-b` });
    const last = encodeOutgoing("story.ingested", { title: "last", sourceCount: 1, firstPublished: new Date() }, { editionId: ed, storyId: "s1", key: `${ed}/s1/last` });
    await bus.publish("story.ingested", last, { msgId: `${ed}-c` });
    await waitFor("the last event", async () => (await stages(ed, "once")).includes("last"));
    expect(await stages(ed, "once")).toEqual(["one", "last"]);
    expect(calls).toBe(2);
    expect(await listDeadLetters(db, { consumer: "t-once" })).toEqual([]);
  });

  it("a malformed event goes to the dead letters with a clear reason; a fixed one can be replayed", async (ctx) => {
    let broken = true;
    const bus = await run(ctx, [
      on("script.drafted", "t-strict", async (ev, c) => {
        if (broken) throw new PermanentError(`script ${ev.scriptId} not found`);
        await c.commit(async (tx) => {
          await tx.insertInto("edition_events").values({ edition_id: c.meta.editionId, stage: "strict", status: "info", message: ev.scriptId }).execute();
        });
      }),
    ]);
    const ed = edition();
    await bus.publish("script.drafted", bytes("\u00ff\u00ff not protobuf"), { msgId: `${ed}-junk` });
    await bus.publish("script.drafted", encodeOutgoing("script.drafted", { scriptId: "sc1", version: 1, kind: 1 }, { editionId: ed, storyId: "s1", key: `${ed}/sc1` }), { msgId: `${ed}-sc1` });
    await waitFor("two dead letters", async () => (await listDeadLetters(db, { consumer: "t-strict" })).length === 2);
    const [junk, missing] = await listDeadLetters(db, { consumer: "t-strict" });
    expect(junk.subject).toBe("script.drafted");
    expect(junk.reason).toMatch(/^permanent error: malformed script.drafted event: /);
    expect(junk.deliveries).toBe(1);
    expect(missing.reason).toBe("permanent error: script sc1 not found");

    broken = false;
    const replay = await replayDeadLetter(db, bus, missing.id);
    expect(replay).toMatchObject({ subject: "script.drafted", duplicate: false });
    expect(replay.msgId).toMatch(new RegExp(`^dlq-replay-${missing.id}-`));
    await waitFor("the replayed event's effect", async () => (await stages(ed, "strict")).length === 1);
    expect((await listDeadLetters(db, { consumer: "t-strict" })).map((l) => l.id)).toEqual([junk.id]);
    expect(await listDeadLetters(db, { consumer: "t-strict", includeReplayed: true })).toHaveLength(2);
    await expect(replayDeadLetter(db, bus, 999_999)).rejects.toThrow("no dead letter with id 999999");
  });

  it("a missing table holds the message and retries; nothing is lost or dead-lettered", async (ctx) => {
    let attempts = 0;
    const table = `late_${setup.db}_${n}`;
    const bus = await run(ctx, [
      on("edition.ingested", "t-late", async (ev, c) => {
        attempts++;
        await c.commit(async (tx) => {
          await sql`insert into ${sql.table(table)} (edition) values (${c.meta.editionId})`.execute(tx);
        });
      }),
    ]);
    const ed = edition();
    await bus.publish("edition.ingested", encodeOutgoing("edition.ingested", { candidateCount: 3 }, { editionId: ed, key: `${ed}/ingested` }), { msgId: `${ed}-i` });
    await waitFor("a retry", () => attempts >= 2);
    await sql`create table ${sql.table(table)} (edition text not null)`.execute(db);
    await waitFor("the row", async () => (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0].n === 1);
    expect(await listDeadLetters(db, { consumer: "t-late" })).toEqual([]);
    expect(await db.selectFrom("processed_events").select("key").where("consumer", "=", "t-late").execute()).toEqual([{ key: `${ed}/ingested` }]);
  });

  it("the relay keeps a row whose publish failed for the next pass, and marks the others", async (ctx) => {
    if (!available) ctx.skip();
    t = await openTestBus(setup.bus);
    const ed = edition();
    const ids = (
      await db
        .insertInto("outbox")
        .values(
          [1, 2, 3].map((i) => ({
            subject: "story.ingested",
            payload: Buffer.from(encodeOutgoing("story.ingested", { title: `t${i}`, sourceCount: 1, firstPublished: new Date() }, { editionId: ed, storyId: `s${i}`, key: `${ed}/${i}` })),
            headers: "{}",
          })),
        )
        .returning("id")
        .execute()
    ).map((r) => String(r.id));
    const attempts = new Map<string, number>();
    let failNext = true;
    const flaky: Bus = {
      ...t.bus,
      publish: async (subject, data, o) => {
        attempts.set(o.msgId, (attempts.get(o.msgId) ?? 0) + 1);
        if (o.msgId === ids[1] && failNext) {
          failNext = false;
          throw new Error("bus hiccup");
        }
        return t!.bus.publish(subject, data, o);
      },
    };
    const published = async () =>
      new Set((await db.selectFrom("outbox").select("id").where("id", "in", ids).where("published_at", "is not", null).execute()).map((r) => String(r.id)));
    relay = startOutboxRelay({ db, bus: flaky, pollMs: 100 });
    await waitFor("all three rows published", async () => (await published()).size === 3);
    expect(ids.map((id) => attempts.get(id))).toEqual([1, 2, 1]);
  });

  it("two relays on one database publish each outbox row once", async (ctx) => {
    if (setup.db !== "postgres") ctx.skip();
    if (!available) ctx.skip();
    t = await openTestBus(setup.bus);
    const publishes = new Map<string, number>();
    const counting: Bus = {
      ...t.bus,
      publish: (subject, data, o) => {
        publishes.set(o.msgId, (publishes.get(o.msgId) ?? 0) + 1);
        return t!.bus.publish(subject, data, o);
      },
    };
    const ed = edition();
    const rows = Array.from({ length: 300 }, (_, i) => ({
      subject: "story.ingested",
      payload: Buffer.from(encodeOutgoing("story.ingested", { title: `t${i}`, sourceCount: 1, firstPublished: new Date() }, { editionId: ed, storyId: `s${i}`, key: `${ed}/${i}` })),
      headers: "{}",
    }));
    const ids = (await db.insertInto("outbox").values(rows).returning("id").execute()).map((r) => String(r.id));
    // A second replica: its own connection pool.
    const db2 = await openDatabase({ url: pgUrl, poolSize: 3 });
    const relays = [startOutboxRelay({ db, bus: counting, batch: 20, pollMs: 50 }), startOutboxRelay({ db: db2, bus: counting, batch: 20, pollMs: 50 })];
    try {
      await waitFor("every row published", async () => {
        const left = await db.selectFrom("outbox").select(sql<number>`count(*)::int`.as("n")).where("published_at", "is", null).executeTakeFirstOrThrow();
        return left.n === 0;
      });
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
      await db2.destroy();
    }
    for (const id of ids) expect(publishes.get(id), `outbox row ${id}`).toBe(1);
  });
});
