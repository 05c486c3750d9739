import { describe, expect, it } from "vitest";
import { endsSentence, joinContinuation, truncationReason } from "./truncation.js";

describe("truncationReason", () => {
  it("finish_reason length is always truncation", () => {
    expect(truncationReason("A whole sentence.", "length")).toBe("length");
  });
  it("needs a sentence end in English and Chinese", () => {
    expect(truncationReason("Markets rose and", "stop")).toBe("mid_sentence");
    expect(truncationReason("市场随之", "stop")).toBe("mid_sentence");
    expect(truncationReason("市场随之上涨。", "stop")).toBeNull();
    expect(truncationReason("Really?", "stop")).toBeNull();
    expect(truncationReason("他说：“我们会等待！”", "stop")).toBeNull();
    expect(truncationReason('She said "wait."', "stop")).toBeNull();
    expect(truncationReason("Stay tuned…", "stop")).toBeNull();
    expect(truncationReason("(More at eleven.)", "stop")).toBeNull();
    expect(truncationReason("", "stop")).toBe("mid_sentence");
  });
  it("a reply under the minimum is too short", () => {
    expect(truncationReason("Rates held.", "stop", 50)).toBe("too_short");
    expect(truncationReason("Rates held.", "stop", 5)).toBeNull();
  });
  it("a closing quote alone is not a sentence end", () => {
    expect(endsSentence("He called it “a pause”")).toBe(false);
  });
});

describe("joinContinuation", () => {
  it("joins a word cut in half without a space", () => {
    expect(joinContinuation("on Tues", "day.")).toBe("on Tuesday.");
  });
  it("keeps the model's own whitespace at the seam", () => {
    expect(joinContinuation("Markets", " rose.")).toBe("Markets rose.");
    expect(joinContinuation("First paragraph.", "\n\nSecond one.")).toBe("First paragraph.\n\nSecond one.");
  });
  it("adds a space after a finished English sentence, none in Chinese", () => {
    expect(joinContinuation("Rates held.", "Markets rose.")).toBe("Rates held. Markets rose.");
    expect(joinContinuation("利率不变。", "市场上涨。")).toBe("利率不变。市场上涨。");
  });
  it("drops a repeated tail", () => {
    expect(joinContinuation("after the central bank kept", "the central bank kept rates unchanged.")).toBe("after the central bank kept rates unchanged.");
  });
});
