import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import { freshPglite } from "../../../../test/support/services.js";
import { dueSlots, startEditionSchedule } from "./schedule.js";

const config = parseConfig(
  `edition: {timezone: Asia/Shanghai, schedule: {morning: "07:00", evening: "18:30"}}
feeds: [{file: x.xml}]
providers: {offline: {camp: local, kind: offline}}
roles: {default: [offline/x]}
allow_single_camp: true
`,
  "/tmp/schedule.yaml",
);

let db: Db;
beforeAll(async () => {
  db = await freshPglite();
}, 60_000);
afterAll(async () => db?.destroy());

describe("edition schedule", () => {
  it("is due from the slot's local time until the grace period ends", () => {
    // 07:00 in Shanghai is 23:00 UTC the day before.
    expect(dueSlots(new Date("2026-11-27T22:59:00Z"), config, 120)).toEqual([]);
    expect(dueSlots(new Date("2026-11-27T23:00:00Z"), config, 120)).toEqual(["morning"]);
    expect(dueSlots(new Date("2026-11-28T01:00:00Z"), config, 120)).toEqual(["morning"]);
    expect(dueSlots(new Date("2026-11-28T01:01:00Z"), config, 120)).toEqual([]);
    expect(dueSlots(new Date("2026-11-28T10:45:00Z"), config, 120)).toEqual(["evening"]);
  });

  it("requests each slot's edition once, however many schedulers tick", async () => {
    const clock = () => new Date("2026-11-27T23:05:00Z");
    const a = startEditionSchedule({ db, config, clock, intervalMs: 3_600_000 });
    const b = startEditionSchedule({ db, config, clock, intervalMs: 3_600_000 });
    const made = [...(await Promise.all([a.tick(), b.tick(), a.tick()])).flat()];
    await a.stop();
    await b.stop();
    expect(made).toEqual(["2026-11-28-morning"]);
    const rows = await db.selectFrom("editions").select(["id", "slot"]).execute();
    expect(rows).toEqual([{ id: "2026-11-28-morning", slot: "morning" }]);
    const events = await db.selectFrom("outbox").select("subject").execute();
    expect(events.map((e) => e.subject)).toEqual(["edition.requested"]);
  });
});
