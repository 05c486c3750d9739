// Truncation of prose: finish_reason length, a reply stopping mid-sentence (English and
// Chinese), or one under the task's minimum length is continued by the same model once and
// joined, or the chain falls back; the result and the ledger say which.
import { describe, expect, it } from "vitest";
import { behave } from "../fakes/openai-server.js";
import { makeConfig, newEdition, routerHarness, scriptTask, STORY, testRouter } from "./support.js";

const h = routerHarness();

const { rowsOf } = h;
const setup = (a: string, b: string) => testRouter(makeConfig(h.fake.url, { default: [`alpha/${a}`, `beta/${b}`] }), h.db);

describe("continuation", () => {
  it("continues a reply cut by the token limit and joins the parts", async () => {
    h.fake.setBehaviour("u1-a", [behave.truncated("The central bank kept rates unchanged on Tues"), behave.ok("day. Markets rose.")]);
    const { router } = setup("u1-a", "u1-b");
    const editionId = newEdition();
    const r = await router.run(scriptTask(), STORY, { editionId });
    expect(r.output).toBe("The central bank kept rates unchanged on Tuesday. Markets rose.");
    expect(r.completion).toBe("continued");
    const [first, more] = h.fake.callsFor("u1-a");
    expect(more.body.messages.slice(0, 2)).toEqual(first.body.messages);
    expect(more.body.messages[2]).toEqual({ role: "assistant", content: "The central bank kept rates unchanged on Tues" });
    expect(more.body.messages[3].content).toContain("cut off");
    expect((await rowsOf(editionId)).map((x) => [x.outcome, x.error_class])).toEqual([
      ["truncated", "truncated_length"],
      ["continued", null],
    ]);
  });

  it("treats an English reply that stops mid-sentence as cut off", async () => {
    h.fake.setBehaviour("u2-a", [behave.ok("The central bank kept rates unchanged, and markets"), behave.ok(" rose on the news.")]);
    const { router } = setup("u2-a", "u2-b");
    const r = await router.run(scriptTask(), STORY);
    expect(r.output).toBe("The central bank kept rates unchanged, and markets rose on the news.");
    expect(r.completion).toBe("continued");
  });

  it("treats a Chinese reply that stops mid-sentence as cut off", async () => {
    h.fake.setBehaviour("u3-a", [behave.ok("央行周二宣布维持利率不变，市场"), behave.ok("随之上涨。")]);
    const { router } = setup("u3-a", "u3-b");
    const r = await router.run(scriptTask(), STORY);
    expect(r.output).toBe("央行周二宣布维持利率不变，市场随之上涨。");
    expect(r.completion).toBe("continued");
  });

  it("accepts whole Chinese and quoted English replies as they are", async () => {
    h.fake.setBehaviour("u4-a", behave.ok("央行维持利率不变。“市场反应平稳！”"));
    h.fake.setBehaviour("u4-c", behave.ok('The governor said: "We will wait."'));
    const zh = await setup("u4-a", "u4-b").router.run(scriptTask(), STORY);
    const en = await setup("u4-c", "u4-b").router.run(scriptTask(), STORY);
    expect([zh.completion, en.completion]).toEqual(["whole", "whole"]);
    expect(h.fake.callsFor("u4-a")).toHaveLength(1);
    expect(h.fake.callsFor("u4-c")).toHaveLength(1);
  });

  it("asks for more when the reply is shorter than the task's minimum", async () => {
    const more = " Bond yields slipped as traders priced in a cut next quarter, and the currency held steady against the dollar.";
    h.fake.setBehaviour("u5-a", [behave.ok("Rates held."), behave.ok(more)]);
    const { router } = setup("u5-a", "u5-b");
    const r = await router.run(scriptTask(80), STORY);
    expect(r.output).toBe(`Rates held.${more}`);
    expect(r.completion).toBe("continued");
    expect(h.fake.callsFor("u5-a")[1].body.messages[3].content).toContain("at least 80 characters");
  });

  it("drops words the continuation repeats from the end of the first part", async () => {
    h.fake.setBehaviour("u6-a", [behave.truncated("Markets rose after the central bank kept"), behave.ok("the central bank kept rates unchanged.")]);
    const { router } = setup("u6-a", "u6-b");
    const r = await router.run(scriptTask(), STORY);
    expect(r.output).toBe("Markets rose after the central bank kept rates unchanged.");
  });
});

describe("fallback", () => {
  it("falls back when the continuation is still cut off, and records it", async () => {
    h.fake.setBehaviour("v1-a", behave.truncated("The central bank kept"));
    h.fake.setBehaviour("v1-b", behave.ok("The central bank kept rates unchanged."));
    const { router } = setup("v1-a", "v1-b");
    const editionId = newEdition();
    const r = await router.run(scriptTask(), STORY, { editionId });
    expect(r.model).toBe("v1-b");
    expect(r.output).toBe("The central bank kept rates unchanged.");
    expect(r.completion).toBe("fell_back");
    expect((await rowsOf(editionId)).map((x) => [x.model, x.outcome])).toEqual([
      ["v1-a", "truncated"],
      ["v1-a", "truncated"],
      ["v1-b", "fell_back"],
    ]);
  });

  it("a plain-text refusal is not passed on as a script", async () => {
    h.fake.setBehaviour("v2-a", behave.ok("I'm sorry, but I can't help with writing that."));
    h.fake.setBehaviour("v2-b", behave.ok("The central bank kept rates unchanged."));
    const { router } = setup("v2-a", "v2-b");
    const editionId = newEdition();
    const r = await router.run(scriptTask(), STORY, { editionId });
    expect(r.model).toBe("v2-b");
    expect((await rowsOf(editionId))[0]).toMatchObject({ outcome: "refused" });
  });

  it("a stream cut by the token limit is continued too", async () => {
    h.fake.setBehaviour("v3-a", [{ kind: "ok", content: "The central bank kept rates", finishReason: "length" }, behave.ok(" unchanged.")]);
    const cfg = makeConfig(h.fake.url, { default: ["alpha/v3-a", "beta/v3-b"] }, { providers: { alpha: { stream: true } } });
    const r = await testRouter(cfg, h.db).router.run(scriptTask(), STORY);
    expect(r.output).toBe("The central bank kept rates unchanged.");
    expect(r.completion).toBe("continued");
  });
});
