// One contract, two buses: the in-process bus and JetStream on the real NATS behave the same.
import { afterEach, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { PermanentError, RetryLaterError, type DeadLetter, type Delivery } from "@newsroom/platform/bus/types";
import { DEAD_LETTER_HEADERS } from "@newsroom/platform/bus/worker";
import { need } from "../support/services.js";
import { bytes, openTestBus, sleep, text, waitFor, type BusKind, type TestBus } from "./harness.js";

const noDeadLetters = async (l: DeadLetter) => {
  throw new Error(`unexpected dead letter: ${l.reason}`);
};

describe.each<BusKind>(["memory", "jetstream"])("bus contract: %s", (kind) => {
  let available = true;
  let t: TestBus | undefined;

  beforeAll(async () => {
    if (kind === "jetstream") available = await need("nats");
  });
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  const open = async (ctx: TestContext) => {
    if (!available) ctx.skip();
    t = await openTestBus(kind);
    return t;
  };

  it("delivers a message published before the consumer existed, with its headers", async (ctx) => {
    const { bus, prefix } = await open(ctx);
    await bus.publish("story.ingested", bytes("early"), { msgId: "m1", headers: { traceparent: "00-abc-def-01" } });
    const got: Delivery[] = [];
    await bus.consume({ durable: "late", subject: "story.ingested" }, async (d) => void got.push(d), noDeadLetters);
    await waitFor("the early message", () => got.length === 1);
    expect(text(got[0].data)).toBe("early");
    expect(got[0].subject).toBe(`${prefix}.story.ingested`);
    expect(got[0].headers.traceparent).toBe("00-abc-def-01");
    expect(got[0].msgId).toBe("m1");
    expect(got[0].deliveries).toBe(1);
  });

  it("redelivers after the handler throws, then acks", async (ctx) => {
    const { bus } = await open(ctx);
    const seen: number[] = [];
    const done: string[] = [];
    await bus.consume(
      { durable: "crashy", subject: "script.drafted", backoffMs: [30] },
      async (d) => {
        seen.push(d.deliveries);
        if (text(d.data) === "draft-1" && d.deliveries === 1) throw new Error("handler crashed");
        done.push(text(d.data));
      },
      noDeadLetters,
    );
    await bus.publish("script.drafted", bytes("draft-1"), { msgId: "d1" });
    await waitFor("the redelivery", () => done.length === 1);
    // A later message proves the acked one does not come back a third time.
    await bus.publish("script.drafted", bytes("draft-2"), { msgId: "d2" });
    await waitFor("the second message", () => done.length === 2);
    expect(done).toEqual(["draft-1", "draft-2"]);
    expect(seen).toEqual([1, 2, 1]);
  });

  it("drops a re-publish with the same message id", async (ctx) => {
    const { bus } = await open(ctx);
    const got: string[] = [];
    await bus.consume({ durable: "dedupe", subject: "lineup.decided" }, async (d) => void got.push(text(d.data)), noDeadLetters);
    expect(await bus.publish("lineup.decided", bytes("a"), { msgId: "outbox-1" })).toEqual({ duplicate: false });
    expect(await bus.publish("lineup.decided", bytes("a again"), { msgId: "outbox-1" })).toEqual({ duplicate: true });
    expect(await bus.publish("lineup.decided", bytes("b"), { msgId: "outbox-2" })).toEqual({ duplicate: false });
    await waitFor("both distinct messages", () => got.length === 2);
    expect(got).toEqual(["a", "b"]);
  });

  it("handles one story's messages in order while stories run in parallel", async (ctx) => {
    const { bus } = await open(ctx);
    const stories = ["s1", "s2", "s3", "s4"];
    const perStory = 6;
    const order = new Map<string, number[]>(stories.map((s) => [s, []]));
    const active = new Set<string>();
    let overlapSameStory = 0;
    let maxActive = 0;
    await bus.consume(
      { durable: "ordered", subject: "segment.voiced", concurrency: 4, orderingKey: (d) => d.headers.story },
      async (d) => {
        const story = d.headers.story;
        if (active.has(story)) overlapSameStory++;
        active.add(story);
        maxActive = Math.max(maxActive, active.size);
        await sleep(Math.random() * 15);
        order.get(story)!.push(Number(d.headers.n));
        active.delete(story);
      },
      noDeadLetters,
    );
    for (let n = 0; n < perStory; n++)
      for (const story of stories) await bus.publish("segment.voiced", bytes(`${story}/${n}`), { msgId: `${story}-${n}`, headers: { story, n: String(n) } });
    await waitFor("all messages", () => [...order.values()].every((o) => o.length === perStory));
    for (const story of stories) expect(order.get(story)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(overlapSameStory).toBe(0);
    expect(maxActive).toBeGreaterThan(1);
  });

  it("shares one durable consumer between two workers: each message is handled once", async (ctx) => {
    const { bus, another } = await open(ctx);
    const other = await another();
    const handledBy = new Map<string, string[]>();
    const worker = (name: string) => async (d: Delivery) => {
      await sleep(5);
      const id = text(d.data);
      handledBy.set(id, [...(handledBy.get(id) ?? []), name]);
    };
    await bus.consume({ durable: "shared", subject: "script.approved" }, worker("w1"), noDeadLetters);
    await other.consume({ durable: "shared", subject: "script.approved" }, worker("w2"), noDeadLetters);
    const n = 30;
    for (let i = 0; i < n; i++) await bus.publish("script.approved", bytes(`m${i}`), { msgId: `m${i}` });
    await waitFor("every message", () => handledBy.size === n);
    // A message published last, handled by either worker, shows nothing more is in flight.
    await bus.publish("script.approved", bytes("last"), { msgId: "last" });
    await waitFor("the last message", () => handledBy.has("last"));
    for (let i = 0; i < n; i++) expect(handledBy.get(`m${i}`)).toHaveLength(1);
    const workers = new Set([...handledBy.values()].flat());
    expect(workers).toEqual(new Set(["w1", "w2"]));
  });

  it("dead-letters after maxDeliver failed deliveries, with the reason, also on the dead-letter subject", async (ctx) => {
    const { bus } = await open(ctx);
    const letters: DeadLetter[] = [];
    let calls = 0;
    await bus.consume(
      { durable: "poisoned", subject: "script.reviewed", maxDeliver: 3, backoffMs: [20] },
      async () => {
        calls++;
        throw new Error("model returned garbage");
      },
      async (l) => void letters.push(l),
    );
    const onSubject: Delivery[] = [];
    await bus.consume({ durable: "dlq-watch", subject: "deadletter.poisoned" }, async (d) => void onSubject.push(d), noDeadLetters);
    await bus.publish("script.reviewed", bytes("poison"), { msgId: "p1", headers: { traceparent: "00-t-s-01" } });
    await waitFor("the dead letter", () => letters.length === 1 && onSubject.length === 1);
    expect(calls).toBe(3);
    expect(letters[0]).toMatchObject({ consumer: "poisoned", subject: "script.reviewed", deliveries: 3 });
    expect(text(letters[0].data)).toBe("poison");
    expect(letters[0].headers.traceparent).toBe("00-t-s-01");
    expect(letters[0].reason).toContain("failed 3 deliveries");
    expect(letters[0].reason).toContain("model returned garbage");
    expect(onSubject[0].headers[DEAD_LETTER_HEADERS.reason]).toBe(letters[0].reason);
    expect(onSubject[0].headers[DEAD_LETTER_HEADERS.subject]).toBe("script.reviewed");
    // Terminated: it does not come back.
    await bus.publish("script.reviewed", bytes("poison-2"), { msgId: "p2" });
    await waitFor("the second dead letter", () => letters.length === 2);
    expect(calls).toBe(6);
  });

  it("dead-letters a PermanentError at once", async (ctx) => {
    const { bus } = await open(ctx);
    const letters: DeadLetter[] = [];
    let calls = 0;
    await bus.consume(
      { durable: "strict", subject: "edition.requested", maxDeliver: 5 },
      async () => {
        calls++;
        throw new PermanentError("malformed edition.requested event: no meta");
      },
      async (l) => void letters.push(l),
    );
    await bus.publish("edition.requested", bytes("junk"), { msgId: "j1" });
    await waitFor("the dead letter", () => letters.length === 1);
    expect(calls).toBe(1);
    expect(letters[0].deliveries).toBe(1);
    expect(letters[0].reason).toBe("permanent error: malformed edition.requested event: no meta");
  });

  it("holds and retries a RetryLaterError in place: no delivery spent, no dead letter", async (ctx) => {
    const { bus } = await open(ctx);
    const seen: number[] = [];
    await bus.consume(
      { durable: "patient", subject: "edition.ingested", maxDeliver: 1, backoffMs: [20] },
      async (d) => {
        seen.push(d.deliveries);
        if (seen.length < 4) throw new RetryLaterError("database not ready");
      },
      noDeadLetters,
    );
    await bus.publish("edition.ingested", bytes("x"), { msgId: "x1" });
    await waitFor("the fourth attempt", () => seen.length === 4);
    expect(seen).toEqual([1, 1, 1, 1]);
  });

  it("stop() waits for the handler in flight, which is acked", async (ctx) => {
    const { bus } = await open(ctx);
    let started = false;
    let finished = false;
    const sub = await bus.consume(
      { durable: "graceful", subject: "story.dropped" },
      async () => {
        started = true;
        await sleep(300);
        finished = true;
      },
      noDeadLetters,
    );
    await bus.publish("story.dropped", bytes("s"), { msgId: "s1" });
    await waitFor("the handler to start", () => started);
    await sub.stop(10_000);
    expect(finished).toBe(true);
    // Acked: a new worker on the same durable gets only what comes next.
    const later: string[] = [];
    await bus.consume({ durable: "graceful", subject: "story.dropped" }, async (d) => void later.push(text(d.data)), noDeadLetters);
    await bus.publish("story.dropped", bytes("next"), { msgId: "s2" });
    await waitFor("the next message", () => later.length === 1);
    expect(later).toEqual(["next"]);
  });

  it("stop() releases a handler that outlives the timeout; the next worker gets the message", async (ctx) => {
    const { bus, another } = await open(ctx);
    let started = false;
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    const sub = await bus.consume(
      { durable: "handover", subject: "edition.published", ackWaitMs: 30_000 },
      async () => {
        started = true;
        await stuck;
      },
      noDeadLetters,
    );
    await bus.publish("edition.published", bytes("e"), { msgId: "e1" });
    await waitFor("the handler to start", () => started);
    await sub.stop(100);
    const next = await another();
    const got: Delivery[] = [];
    await next.consume({ durable: "handover", subject: "edition.published" }, async (d) => void got.push(d), noDeadLetters);
    await waitFor("the released message", () => got.length === 1);
    expect(text(got[0].data)).toBe("e");
    expect(got[0].deliveries).toBe(2);
    release();
  });
});
