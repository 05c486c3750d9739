import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jsonCandidates, parseStructured, structuredRequest } from "./structured.js";

const schema = z.object({
  storyId: z.string(),
  rank: z.number().int(),
  verdict: z.enum(["approve", "reject"]),
  urgent: z.boolean(),
  tags: z.array(z.string()).default([]),
  note: z.string().nullable().optional(),
});

describe("parseStructured", () => {
  const good = { storyId: "s1", rank: 2, verdict: "approve", urgent: false, tags: ["a"] };

  it("reads plain JSON as is", () => {
    expect(parseStructured(JSON.stringify(good), schema)).toEqual({ ok: true, value: good });
  });

  it("finds JSON in prose and in fences", () => {
    expect(parseStructured(`Sure: ${JSON.stringify(good)} Hope this helps`, schema).ok).toBe(true);
    expect(parseStructured("```json\n" + JSON.stringify(good) + "\n```", schema).ok).toBe(true);
    expect(parseStructured("```\n" + JSON.stringify(good) + "\n```", schema).ok).toBe(true);
  });

  it("repairs trailing commas and single quotes", () => {
    const r = parseStructured(`{'storyId': 's1', 'rank': 2, 'verdict': 'approve', 'urgent': false, 'tags': ['a',],}`, schema);
    expect(r).toEqual({ ok: true, value: good });
  });

  it("maps keys in another case or style onto the schema's keys", () => {
    const r = parseStructured('{"StoryID": "s1", "RANK": 2, "Verdict": "approve", "urgent": false, "tags": ["a"]}', schema);
    expect(r).toEqual({ ok: true, value: good });
    const snake = parseStructured('{"story_id": "s1", "rank": 2, "verdict": "approve", "urgent": false, "tags": ["a"]}', schema);
    expect(snake).toEqual({ ok: true, value: good });
  });

  it("turns numbers and booleans sent as strings into what the schema says", () => {
    const r = parseStructured('{"storyId": "s1", "rank": "2", "verdict": "APPROVE", "urgent": "false", "tags": ["a"]}', schema);
    expect(r).toEqual({ ok: true, value: good });
  });

  it("coerces carefully: a string field keeps a numeric-looking string, junk numbers stay invalid", () => {
    const idNumeric = parseStructured('{"storyId": "123", "rank": 2, "verdict": "approve", "urgent": true}', schema);
    expect(idNumeric.ok && idNumeric.value.storyId).toBe("123");
    const junk = parseStructured('{"storyId": "s1", "rank": "2nd", "verdict": "approve", "urgent": true}', schema);
    expect(junk.ok).toBe(false);
    const fraction = parseStructured('{"storyId": "s1", "rank": "2.5", "verdict": "approve", "urgent": true}', schema);
    expect(fraction.ok).toBe(false);
  });

  it("does not let a look-alike key overwrite the real one", () => {
    const r = parseStructured('{"storyId": "s1", "STORYID": "s9", "rank": 2, "verdict": "approve", "urgent": true}', schema);
    expect(r.ok && r.value.storyId).toBe("s1");
  });

  it("returns validation errors naming the fields", () => {
    const r = parseStructured('{"storyId": "s1", "rank": 2, "verdict": "maybe", "urgent": true}', schema);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join("\n")).toContain("verdict:");
  });

  it("says when there is no JSON at all", () => {
    const r = parseStructured("I think the story is fine.", schema);
    expect(r).toEqual({ ok: false, errors: ["the reply contains no JSON"] });
  });
});

describe("jsonCandidates", () => {
  it("takes the first balanced object, skipping braces inside strings", () => {
    expect(jsonCandidates('Result: {"a": "x}y", "b": [1, {"c": 2}]} and more {"d": 1}')).toContain('{"a": "x}y", "b": [1, {"c": 2}]}');
  });
});

describe("structuredRequest", () => {
  const prompt = { system: "Rank stories.", user: "..." };
  it("json_schema sends the schema as response_format and keeps the prompt short", () => {
    const r = structuredRequest("json_schema", "rank lineup!", schema, prompt);
    expect(r.responseFormat).toMatchObject({ type: "json_schema", json_schema: { name: "rank_lineup_", strict: false } });
    expect(r.prompt.system).not.toContain("JSON Schema");
  });
  it("json_object and none put the schema in the system prompt", () => {
    expect(structuredRequest("json_object", "x", schema, prompt).prompt.system).toContain('"storyId"');
    const none = structuredRequest("none", "x", schema, prompt);
    expect(none.responseFormat).toBeUndefined();
    expect(none.prompt.system).toContain('"verdict"');
  });
});
