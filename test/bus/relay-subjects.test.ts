// A service's relay publishes only the subjects that service emits (its NATS user may publish
// nothing else); other services' rows wait for their own relays.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryBus } from "@newsroom/platform/bus/memory";
import { startOutboxRelay } from "@newsroom/platform/outbox/relay";
import type { Db } from "@newsroom/platform/db/connect";
import { freshPglite } from "../support/services.js";

let db: Db;
beforeAll(async () => {
  db = await freshPglite();
}, 60_000);
afterAll(async () => db?.destroy());

describe("outbox relay subjects", () => {
  it("publishes its own subjects and leaves the rest", async () => {
    await db
      .insertInto("outbox")
      .values(["segment.voiced", "edition.published", "segment.voiced"].map((subject) => ({ subject, payload: Buffer.from(subject), headers: "{}" })))
      .execute();
    const bus = createMemoryBus({ prefix: "t" });
    const seen: string[] = [];
    const subs = await Promise.all(
      ["segment.voiced", "edition.published"].map((subject) =>
        bus.consume({ durable: subject.replace(".", "-"), subject }, async (d) => void seen.push(d.subject), async () => {}),
      ),
    );
    const voice = startOutboxRelay({ db, bus, subjects: ["segment.voiced"], pollMs: 50 });
    await new Promise((r) => setTimeout(r, 400));
    await voice.stop();
    const left = await db.selectFrom("outbox").select("subject").where("published_at", "is", null).execute();
    expect(left.map((r) => r.subject)).toEqual(["edition.published"]);

    const publisher = startOutboxRelay({ db, bus, subjects: ["edition.published"], pollMs: 50 });
    await new Promise((r) => setTimeout(r, 400));
    await publisher.stop();
    await new Promise((r) => setTimeout(r, 100));
    await Promise.all(subs.map((x) => x.stop()));
    await bus.close();
    expect(await db.selectFrom("outbox").select("id").where("published_at", "is", null).execute()).toEqual([]);
    expect(seen.sort()).toEqual(["t.edition.published", "t.segment.voiced", "t.segment.voiced"]);
  });
});
