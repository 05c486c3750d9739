import { describe, expect, it } from "vitest";
import { configSchema } from "@newsroom/platform/config/schema";
import type { SourceBrief } from "@newsroom/platform/editorial/sources";
import { runGates } from "./gates.js";
import { scriptParts } from "./script-parts.js";

const settings = { ...configSchema.shape.edition.parse({}), language: "en" as const, target_words: 40 };
const source: SourceBrief = {
  id: "s1",
  feed: "Wire",
  title: "Bridge reopens",
  text: "The bridge reopened on Friday after two years of repairs. The work cost 30 million dollars. Visit www.bridge-news.example for live updates and subscribe now! Traffic is expected to return to normal by Monday.",
  language: "en",
  publishedAt: "2025-03-10T05:00:00Z",
};
const gates = (texts: string[], language = "en") =>
  Object.fromEntries(runGates(scriptParts({ language, lines: texts.map((text) => ({ speaker: "anchor_a" as const, text })) as never }), [source], { ...settings, language: language as "en" }).map((g) => [g.gate, g]));

describe("gates", () => {
  it("pass a whole, clean script in its language", () => {
    const g = gates(["The bridge reopened on Friday after two years of repairs. The work cost 30 million dollars.", "Traffic is expected to return to normal by Monday."]);
    expect([g.truncation.passed, g.injection.passed, g.language.passed]).toEqual([true, true, true]);
  });
  it("catch a line cut mid-sentence and a script far under its target", () => {
    expect(gates(["The bridge reopened on Friday after two", "Traffic is expected to return to normal by Monday."]).truncation.passed).toBe(false);
    expect(gates(["The bridge reopened."]).truncation.detail).toMatch(/far under target/);
  });
  it("catch a link or promotion carried over from a source", () => {
    const g = gates(["The bridge reopened on Friday after two years of repairs. Visit www.bridge-news.example for live updates and subscribe now!"]);
    expect(g.injection.passed).toBe(false);
    expect(g.injection.evidence[0].sentence).toMatch(/Visit/);
  });
  it("catch a script in the wrong language", () => {
    expect(gates(["大桥在经过两年的维修后于周五重新开放。工程耗资三千万美元。交通预计在周一恢复正常。"]).language.passed).toBe(false);
  });
});
