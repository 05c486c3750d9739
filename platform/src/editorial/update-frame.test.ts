// The update frame is written by code: every language part opens with it, once, whatever the
// writer wrote, and reviewers can read the script without it.
import { describe, expect, it } from "vitest";
import { frameHeadline, frameLines, withoutUpdateFrame } from "./update-frame.js";

describe("update frame", () => {
  it("opens each language part of a script, once", () => {
    const lines = [
      { speaker: "anchor_a" as const, text: "绿线三座地铁站恢复运营。", lang: "zh" as const },
      { speaker: "anchor_b" as const, text: "维修花了多少钱？", lang: "zh" as const },
      { speaker: "anchor_a" as const, text: "The three Green Line stations reopened.", lang: "en" as const },
    ];
    const framed = frameLines(lines, "zh", { slot: "morning" });
    expect(framed.map((l) => l.text)).toEqual(["更新：绿线三座地铁站恢复运营。", "维修花了多少钱？", "An update on a story from our morning edition. The three Green Line stations reopened."]);
    expect(frameLines(framed, "zh", { slot: "morning" })).toEqual(framed);
  });

  it("replaces a frame the writer wrote itself", () => {
    expect(frameLines([{ speaker: "anchor_a", text: "更新: 更新：地铁恢复运营。" }], "zh", { slot: "evening" })[0].text).toBe("更新：地铁恢复运营。");
    expect(frameLines([{ speaker: "anchor_a", text: "Update: trains run again." }], "en", { slot: "evening" })[0].text).toBe("An update on a story from our evening edition. Trains run again.");
  });

  it("frames headlines part by part", () => {
    expect(frameHeadline("绿线地铁站恢复运营 | Green Line reopens")).toBe("更新：绿线地铁站恢复运营 | Update: Green Line reopens");
    expect(frameHeadline("Update: Green Line reopens")).toBe("Update: Green Line reopens");
  });

  it("is taken off for reviewers, and nothing else is", () => {
    expect(withoutUpdateFrame("An update on a story from our morning edition. Trains run again.")).toBe("Trains run again.");
    expect(withoutUpdateFrame("更新：地铁恢复运营。")).toBe("地铁恢复运营。");
    expect(withoutUpdateFrame("Trains run again after an update on the signals.")).toBe("Trains run again after an update on the signals.");
  });
});
