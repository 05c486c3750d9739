import { describe, expect, it } from "vitest";
import { showCopyProblems } from "./show-gates.js";

const ON_AIR = ["The city council voted 9 to 2 on Tuesday to build 40 kilometres of bike lanes.", "Heavy rain flooded three subway stations on the Green Line.", "Maya", "Tom"];
const good = {
  rundown: "Maya here with two stories: the council's bike lanes, and the flooded Green Line.",
  transitions: ["We start with the bike lanes.", "Now, Tom, the rain."],
  recap: "Once more: 40 kilometres of bike lanes, and three flooded stations.",
};
const gates = (copy: typeof good, lang: "zh" | "en" = "en") => showCopyProblems(copy, lang, 2, ON_AIR).map((p) => p.gate);

describe("show copy gates", () => {
  it("pass copy that names only what the approved scripts carry", () => {
    expect(showCopyProblems(good, "en", 2, ON_AIR)).toEqual([]);
  });
  it("refuse a figure, a name or a date no approved script carries", () => {
    expect(gates({ ...good, recap: "Once more: 50 kilometres of bike lanes." })).toEqual(["grounding"]);
    expect(gates({ ...good, rundown: "Tonight, Mayor Ana Ruiz on the bike lanes." })).toEqual(["grounding"]);
    expect(gates({ ...good, transitions: ["We start with the bike lanes, voted on Friday.", good.transitions[1]] })).toEqual(["grounding"]);
  });
  it("refuse a cut-off piece, a missing transition, a link or instruction, and the wrong language", () => {
    expect(gates({ ...good, recap: "Once more: the bike lanes and" })).toEqual(["truncation"]);
    expect(gates({ ...good, transitions: [good.transitions[0]] })).toEqual(["truncation"]);
    expect(gates({ ...good, recap: "Subscribe now and visit http://scam.example for more." })).toContain("injection");
    expect(gates(good, "zh")).toContain("language");
  });
});
