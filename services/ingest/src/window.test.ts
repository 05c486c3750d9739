import { describe, expect, it } from "vitest";
import { applyWindow } from "./window.js";

describe("applyWindow", () => {
  const now = new Date("2026-11-28T08:00:00Z");
  it("keeps items inside the window and says why the others are out", () => {
    const items = [
      { id: "fresh", published: new Date("2026-11-28T07:00:00Z") },
      { id: "edge", published: new Date("2026-11-27T08:00:00Z") },
      { id: "old", published: new Date("2026-11-20T09:00:00Z") },
      { id: "undated", published: undefined },
      { id: "skew", published: new Date("2026-11-28T08:10:00Z") },
      { id: "future", published: new Date("2026-11-28T11:00:00Z") },
    ];
    const { kept, dropped } = applyWindow(items, { now, windowHours: 24 });
    expect(kept.map((i) => i.id)).toEqual(["fresh", "edge", "skew"]);
    expect(dropped.map((d) => [d.item.id, d.reason])).toEqual([
      ["old", "published 2026-11-20T09:00:00Z, 191.0 h before the edition's now (window 24 h)"],
      ["undated", "no usable date"],
      ["future", "dated 2026-11-28T11:00:00Z, 3.0 h after the edition's now"],
    ]);
  });
});
