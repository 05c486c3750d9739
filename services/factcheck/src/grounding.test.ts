import { describe, expect, it } from "vitest";
import { factsIn, sourceFacts, ungrounded } from "./grounding.js";

const keys = (s: string) => factsIn(s).map((f) => f.key);

describe("grounding facts", () => {
  it("reads numbers by value whatever their writing: digits, words, Chinese numerals, scale words", () => {
    expect(keys("5,000 residents were evacuated.")).toEqual(["n:5000"]);
    expect(keys("The plan costs 120 million dollars.")).toEqual(["n:120000000"]);
    expect(keys("The council voted nine to two.")).toEqual(["n:9", "n:2"]);
    expect(keys("起征点由每月10万元提高到15万元，一万二千人，三点五。")).toEqual(["n:100000", "n:150000", "n:12000", "n:3.5"]);
  });
  it("reads months and weekdays as dates in either language, and names inside English sentences", () => {
    expect(keys("Council member Ana Ruiz said work starts on Wednesday in March.")).toEqual(["month:3", "weekday:3", "name:ana", "name:ruiz"]);
    expect(keys("会议于周三举行，3月开工。")).toEqual(["month:3", "weekday:3"]);
    expect(keys("According to Wire Service, inflation fell.")).toEqual([]);
  });
  it("finds what the sources do not say, across languages", () => {
    const src = sourceFacts(["The plan costs 120 million dollars. The council voted 9 to 2 on Tuesday. Work starts in March, Ana Ruiz said."]);
    expect(ungrounded("该计划耗资1.2亿美元，3月开工，周二表决。", src)).toEqual([]);
    expect(ungrounded("The council voted nine to two, Ana Ruiz said.", src)).toEqual([]);
    expect(ungrounded("5,000 residents were evacuated, Bob Stone said on Monday.", src).map((f) => f.text)).toEqual(["5,000", "Monday", "Bob", "Stone"]);
  });
  it("cannot check Latin names against sources written only in Han characters, and does not fail them", () => {
    expect(ungrounded("Premier Li Qiang chaired the meeting.", sourceFacts(["国务院总理李强主持召开国务院常务会议。"]))).toEqual([]);
  });
  it("reads no fact into a co-host's listener question to the lead, but checks a question that carries one", () => {
    const known = sourceFacts(["The council voted 9 to 2 to build bike lanes."]);
    expect(ungrounded("Lin Xiao, what else do we know?", known)).toEqual([]);
    expect(ungrounded("Lin Xiao, did Mayor Ruiz approve 40 km of lanes?", known).map((f) => f.text)).toEqual(expect.arrayContaining(["40", "Ruiz"]));
  });
});
