import { describe, expect, it } from "vitest";
import { formatScript, parseScript } from "./script-lines.js";

describe("script lines", () => {
  it("reads speaker labels for two anchors and keeps one anchor for one", () => {
    const text = "A: The bridge reopened.\nB：It cost 30 million dollars.\nTraffic is back.";
    expect(parseScript(text, 2).map((l) => l.speaker)).toEqual(["anchor_a", "anchor_b", "anchor_b"]);
    expect(parseScript(text, 1).map((l) => [l.speaker, l.text])).toEqual([
      ["anchor_a", "The bridge reopened."],
      ["anchor_a", "It cost 30 million dollars."],
      ["anchor_a", "Traffic is back."],
    ]);
  });
  it("without labels two anchors take turns by paragraph, never by sentence, and lines carry the part's language", () => {
    const lines = parseScript("大桥周五重新开放。工程耗资三千万美元。\n交通已经恢复。", 2, "zh");
    expect(lines).toEqual([
      { speaker: "anchor_a", text: "大桥周五重新开放。工程耗资三千万美元。", lang: "zh" },
      { speaker: "anchor_b", text: "交通已经恢复。", lang: "zh" },
    ]);
    expect(formatScript(lines, 2)).toBe("A: 大桥周五重新开放。工程耗资三千万美元。\nB: 交通已经恢复。");
    // One paragraph with no labels is the lead's: no split lines.
    expect(parseScript("大桥周五重新开放。工程耗资三千万美元。", 2, "zh").map((l) => l.speaker)).toEqual(["anchor_a"]);
  });
});
