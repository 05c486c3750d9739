// Structured output through the SDK: the schema is sent the way each provider supports, weak
// models' JSON is tolerated, an invalid reply gets one repair round (with the errors sent
// back), and a model that still fails hands over to the next one.
import { describe, expect, it } from "vitest";
import { behave } from "../fakes/openai-server.js";
import { GOOD_REVIEW, makeConfig, newEdition, reviewTask, routerHarness, STORY, testRouter } from "./support.js";

const h = routerHarness();

const { rowsOf } = h;

/** Reviewers' chains start with beta (makeConfig reverses the writer's chain). */
function setup(models: [string, string], mode: "json_schema" | "json_object" | "none" = "json_object") {
  const cfg = makeConfig(h.fake.url, { default: [`alpha/${models[1]}`, `beta/${models[0]}`] }, { providers: { beta: { structured_output: mode } } });
  return testRouter(cfg, h.db);
}

describe("how the schema is asked for", () => {
  it("json_schema providers get response_format json_schema with the schema", async () => {
    h.fake.setBehaviour("m1-b", behave.ok(JSON.stringify(GOOD_REVIEW)));
    const { router } = setup(["m1-b", "m1-a"], "json_schema");
    const r = await router.run(reviewTask(), STORY);
    expect(r.output).toEqual(GOOD_REVIEW);
    const rf = h.fake.callsFor("m1-b")[0].body.response_format as { type: string; json_schema: { name: string; schema: { properties: Record<string, unknown> } } };
    expect(rf.type).toBe("json_schema");
    expect(rf.json_schema.name).toBe("check_script");
    expect(Object.keys(rf.json_schema.schema.properties)).toEqual(["verdict", "score", "reasons"]);
  });

  it("json_object providers get json_object and the schema in the prompt", async () => {
    h.fake.setBehaviour("m2-b", behave.ok(JSON.stringify(GOOD_REVIEW)));
    const { router } = setup(["m2-b", "m2-a"], "json_object");
    await router.run(reviewTask(), STORY);
    const body = h.fake.callsFor("m2-b")[0].body;
    expect(body.response_format).toEqual({ type: "json_object" });
    expect(body.messages[0].content).toContain("JSON Schema");
    expect(body.messages[0].content).toContain('"verdict"');
  });

  it("providers without structured output get instructions only", async () => {
    h.fake.setBehaviour("m3-b", behave.ok(JSON.stringify(GOOD_REVIEW)));
    const { router } = setup(["m3-b", "m3-a"], "none");
    await router.run(reviewTask(), STORY);
    const body = h.fake.callsFor("m3-b")[0].body;
    expect(body.response_format).toBeUndefined();
    expect(body.messages[0].content).toContain("no code fences");
    expect(body.messages[0].content).toContain('"reasons"');
  });
});

describe("what weak models send", () => {
  const cases: [string, () => ReturnType<typeof behave.ok>][] = [
    ["JSON inside prose", () => behave.jsonInProse(GOOD_REVIEW)],
    ["JSON in a ```json fence", () => behave.jsonInFence(GOOD_REVIEW)],
    ["trailing commas", () => behave.ok('{"verdict": "approve", "score": 0.9, "reasons": ["matches the source",],}')],
    ["keys in the wrong case", () => behave.ok('{"Verdict": "approve", "SCORE": 0.9, "Reasons": ["matches the source"]}')],
    ["numbers as strings and enum case", () => behave.ok('{"verdict": "Approve", "score": "0.9", "reasons": ["matches the source"]}')],
    ["a reasoning block with braces before the JSON", () => behave.ok(`<think>Is {score} above 0.5? yes</think>\n${JSON.stringify(GOOD_REVIEW)}`)],
  ];
  for (const [i, [what, reply]] of cases.entries()) {
    it(`accepts ${what} without a repair round`, async () => {
      const model = `w${i}-b`;
      h.fake.setBehaviour(model, reply());
      const { router } = setup([model, `w${i}-a`]);
      const editionId = newEdition();
      const r = await router.run(reviewTask(), STORY, { editionId });
      expect(r.output).toEqual(GOOD_REVIEW);
      expect(h.fake.callsFor(model)).toHaveLength(1);
      expect((await rowsOf(editionId)).map((x) => x.outcome)).toEqual(["ok"]);
    });
  }
});

describe("repair and fallback", () => {
  it("sends invalid JSON back with the error and uses the repaired reply", async () => {
    h.fake.setBehaviour("p1-b", [behave.invalidJson("verdict: approve, score high"), behave.ok(JSON.stringify(GOOD_REVIEW))]);
    const { router } = setup(["p1-b", "p1-a"]);
    const editionId = newEdition();
    const r = await router.run(reviewTask(), STORY, { editionId });
    expect(r.output).toEqual(GOOD_REVIEW);
    expect(r.completion).toBe("whole");
    const [first, repair] = h.fake.callsFor("p1-b");
    expect(repair.body.messages.slice(0, 2)).toEqual(first.body.messages);
    expect(repair.body.messages[2]).toEqual({ role: "assistant", content: "verdict: approve, score high" });
    expect(repair.body.messages[3].content).toContain("could not be used");
    const rows = await rowsOf(editionId);
    expect(rows.map((x) => [x.outcome, x.error_class])).toEqual([
      ["invalid", "invalid_output"],
      ["ok", null],
    ]);
  });

  it("names the failing fields in the repair request", async () => {
    h.fake.setBehaviour("p2-b", [behave.ok('{"verdict": "maybe", "score": 3, "reasons": []}'), behave.ok(JSON.stringify(GOOD_REVIEW))]);
    const { router } = setup(["p2-b", "p2-a"]);
    await router.run(reviewTask(), STORY);
    const repair = h.fake.callsFor("p2-b")[1].body.messages[3].content;
    expect(repair).toContain("verdict:");
    expect(repair).toContain("score:");
    expect(repair).not.toContain("reasons:");
  });

  it("falls back to the next model when the repair fails too", async () => {
    h.fake.setBehaviour("p3-b", behave.invalidJson());
    h.fake.setBehaviour("p3-a", behave.ok(JSON.stringify(GOOD_REVIEW)));
    const { router } = setup(["p3-b", "p3-a"]);
    const editionId = newEdition();
    const r = await router.run(reviewTask(), STORY, { editionId });
    expect(r.model).toBe("p3-a");
    expect(r.completion).toBe("fell_back");
    expect(h.fake.callsFor("p3-b")).toHaveLength(2);
    expect((await rowsOf(editionId)).map((x) => [x.model, x.outcome])).toEqual([
      ["p3-b", "invalid"],
      ["p3-b", "invalid"],
      ["p3-a", "fell_back"],
    ]);
  });

  it("a refusal is not repaired: the chain falls back", async () => {
    h.fake.setBehaviour("p4-b", behave.refusal());
    h.fake.setBehaviour("p4-a", behave.ok(JSON.stringify(GOOD_REVIEW)));
    const { router } = setup(["p4-b", "p4-a"]);
    const editionId = newEdition();
    const r = await router.run(reviewTask(), STORY, { editionId });
    expect(r.model).toBe("p4-a");
    expect(h.fake.callsFor("p4-b")).toHaveLength(1);
    expect((await rowsOf(editionId))[0]).toMatchObject({ outcome: "refused", error_class: "refusal" });
  });

  it("JSON cut off by the token limit is truncated, not silently repaired by parsing", async () => {
    h.fake.setBehaviour("p5-b", [behave.truncated('{"verdict": "approve", "score": 0.9, "reasons": ["matches'), behave.ok(JSON.stringify(GOOD_REVIEW))]);
    const { router } = setup(["p5-b", "p5-a"]);
    const editionId = newEdition();
    const r = await router.run(reviewTask(), STORY, { editionId });
    expect(r.output).toEqual(GOOD_REVIEW);
    expect(h.fake.callsFor("p5-b")[1].body.messages[3].content).toContain("cut off");
    expect((await rowsOf(editionId)).map((x) => x.outcome)).toEqual(["truncated", "ok"]);
  });
});
