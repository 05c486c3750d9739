// The embedded offline provider: the task's own extractive answer, no network, validated
// like a model's reply, marked as offline and written to the ledger at zero cost.
import { countTokens } from "gpt-tokenizer";
import { describe, expect, it } from "vitest";
import { ChainExhaustedError, type StructuredTask } from "@newsroom/platform/router/types";
import { behave } from "../fakes/openai-server.js";
import { makeConfig, newEdition, type ReviewOut, reviewSchema, reviewTask, routerHarness, scriptTask, STORY, type Story, testRouter } from "./support.js";

const h = routerHarness();

const { rowsOf } = h;

describe("offline provider", () => {
  it("answers from the task's offline function without any request", async () => {
    const before = h.fake.calls.length;
    const cfg = makeConfig(h.fake.url, { default: ["offline/extractive", "alpha/o1-a"], fact_checker: ["alpha/o1-a", "offline/extractive"] });
    const { router } = testRouter(cfg, h.db);
    const editionId = newEdition();
    const story: Story = { title: "Rain", text: "Heavy rain hit the coast overnight. Roads were closed." };
    const r = await router.run(scriptTask(), story, { editionId });
    expect(r).toMatchObject({ output: "Heavy rain hit the coast overnight.", provider: "offline", camp: "local", offline: true, completion: "whole" });
    expect(h.fake.calls.length).toBe(before);
    const [row] = await rowsOf(editionId);
    expect(row).toMatchObject({ provider: "offline", model: "extractive", camp: "local", cost_usd: 0, tokens_estimated: true, outcome: "ok" });
    expect(row.output_tokens).toBe(countTokens("Heavy rain hit the coast overnight."));
    expect(row.input_tokens).toBeGreaterThan(0);
  });

  it("validates a structured offline answer against the task's schema", async () => {
    const cfg = makeConfig(h.fake.url, { default: ["alpha/o2-a", "offline/extractive"], fact_checker: ["offline/extractive", "alpha/o2-a"] });
    const { router } = testRouter(cfg, h.db);
    const r = await router.run(reviewTask(), STORY);
    expect(r.output).toEqual({ verdict: "approve", score: 1, reasons: ["every sentence found in Rates"] });
    expect(reviewSchema.safeParse(r.output).success).toBe(true);
    expect(r.offline).toBe(true);
  });

  it("an offline answer that breaks the schema is recorded as invalid, never passed on", async () => {
    const broken: StructuredTask<Story, ReviewOut> = { ...reviewTask(), offline: () => ({ verdict: "perhaps" }) as unknown as ReviewOut };
    h.fake.setBehaviour("o3-a", behave.fail(400));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/o3-w", "offline/extractive"], fact_checker: ["offline/extractive", "alpha/o3-a"] });
    const { router } = testRouter(cfg, h.db);
    const editionId = newEdition();
    const err = await router.run(broken, STORY, { editionId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainExhaustedError);
    expect((await rowsOf(editionId))[0]).toMatchObject({ provider: "offline", outcome: "invalid", error_class: "invalid_output" });
  });

  it("takes over when every networked model fails, and says it fell back", async () => {
    h.fake.setBehaviour("o4-a", behave.fail(503));
    h.fake.setBehaviour("o4-b", behave.fail(503));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/o4-a", "beta/o4-b", "offline/extractive"] }, { providers: { alpha: { max_retries: 0 }, beta: { max_retries: 0 } } });
    const { router } = testRouter(cfg, h.db);
    const editionId = newEdition();
    const r = await router.run(scriptTask(), STORY, { editionId });
    expect(r).toMatchObject({ provider: "offline", offline: true, completion: "fell_back", output: "The central bank kept rates unchanged on Tuesday." });
    expect((await rowsOf(editionId)).map((x) => [x.provider, x.outcome])).toEqual([
      ["alpha", "error"],
      ["beta", "error"],
      ["offline", "fell_back"],
    ]);
  });

  it("an offline function that throws is an error the chain moves past", async () => {
    h.fake.setBehaviour("o5-a", behave.ok("The bank held rates."));
    const failing = { ...scriptTask(), offline: () => { throw new Error("no source sentences"); } };
    const cfg = makeConfig(h.fake.url, { default: ["offline/extractive", "alpha/o5-a"], fact_checker: ["alpha/o5-a", "offline/extractive"] });
    const { router } = testRouter(cfg, h.db);
    const editionId = newEdition();
    const r = await router.run(failing, STORY, { editionId });
    expect(r.model).toBe("o5-a");
    expect((await rowsOf(editionId))[0]).toMatchObject({ provider: "offline", outcome: "error", error_class: "offline_error" });
  });
});
