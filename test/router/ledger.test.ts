// The cost ledger: a row per attempt with tokens from usage (or counted when absent), cost
// from the provider's prices, per-edition totals by provider and camp, and the budget rule.
import { countTokens } from "gpt-tokenizer";
import { describe, expect, it } from "vitest";
import { openLedger } from "@newsroom/platform/ledger/ledger";
import { editionCosts } from "@newsroom/platform/router/ledger";
import { behave } from "../fakes/openai-server.js";
import { GOOD_REVIEW, makeConfig, memorySpans, newEdition, reviewTask, routerHarness, SCRIPT, scriptTask, STORY, testRouter } from "./support.js";

const h = routerHarness();

const { rowsOf } = h;

describe("rows", () => {
  it("takes tokens from usage and prices them", async () => {
    h.fake.setBehaviour("l1-a", behave.ok(SCRIPT));
    const { router } = testRouter(makeConfig(h.fake.url, { default: ["alpha/l1-a", "beta/l1-b"] }), h.db);
    const editionId = newEdition();
    await router.run(scriptTask(), { ...STORY }, { editionId, storyId: "story-1" });
    const [row] = await rowsOf(editionId);
    const sent = h.fake.callsFor("l1-a")[0].body.messages.map((m) => m.content).join("");
    expect(row).toMatchObject({
      role: "writer",
      kind: "chat",
      provider: "alpha",
      model: "l1-a",
      camp: "us",
      story_id: "story-1",
      input_tokens: Math.ceil(sent.length / 4),
      output_tokens: Math.ceil(SCRIPT.length / 4),
      tokens_estimated: false,
      outcome: "ok",
    });
    expect(row.cost_usd).toBeCloseTo((row.input_tokens * 1 + row.output_tokens * 4) / 1e6, 12);
    expect(row.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it("counts tokens with a tokenizer when the provider sends no usage, and says so", async () => {
    h.fake.setBehaviour("l2-a", behave.noUsage(SCRIPT));
    const { router } = testRouter(makeConfig(h.fake.url, { default: ["alpha/l2-a", "beta/l2-b"] }), h.db);
    const editionId = newEdition();
    await router.run(scriptTask(), STORY, { editionId });
    const [row] = await rowsOf(editionId);
    expect(row.tokens_estimated).toBe(true);
    expect(row.output_tokens).toBe(countTokens(SCRIPT));
    expect(row.input_tokens).toBeGreaterThan(0);
    expect(row.cost_usd).toBeGreaterThan(0);
  });
});

describe("edition totals", () => {
  it("adds up an edition's calls by provider and by camp", async () => {
    h.fake.setBehaviour("l3-a", [behave.fail(500), behave.ok(SCRIPT)]);
    h.fake.setBehaviour("l3-b", behave.ok(JSON.stringify(GOOD_REVIEW)));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/l3-a", "beta/l3-b", "offline/extractive"], fact_checker: ["beta/l3-b", "alpha/l3-a"] });
    const { router } = testRouter(cfg, h.db);
    const editionId = newEdition();
    await router.run(scriptTask(), STORY, { editionId });
    await router.run(reviewTask(), STORY, { editionId, avoidVendors: ["alpha"] });
    await router.run(scriptTask(), STORY, { editionId: newEdition() }); // another edition: not counted

    const rows = await rowsOf(editionId);
    const sum = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).reduce((s, r) => s + r.cost_usd, 0);
    const costs = await editionCosts(h.db, editionId);
    expect(costs.total.calls).toBe(3);
    expect(costs.byProvider.alpha.calls).toBe(2);
    expect(costs.byProvider.beta.calls).toBe(1);
    expect(costs.byProvider.alpha.cost_usd).toBeCloseTo(sum((r) => r.provider === "alpha"), 12);
    expect(costs.byCamp.us.cost_usd).toBeCloseTo(sum((r) => r.camp === "us"), 12);
    expect(costs.byCamp.cn.output_tokens).toBe(rows.filter((r) => r.camp === "cn").reduce((s, r) => s + r.output_tokens, 0));
    expect(costs.total.cost_usd).toBeCloseTo(sum(() => true), 12);
  });
});

describe("budget", () => {
  const providers = {
    alpha: { prices: { input_per_mtok: 5000, output_per_mtok: 5000 } },
    beta: { prices: { input_per_mtok: 0.1, output_per_mtok: 0.1 } },
    gamma: { camp: "us", base_url: "", api_key_env: "ALPHA_KEY", prices: { input_per_mtok: 1, output_per_mtok: 1 } },
  };
  const cfg = (budget: number) => {
    const p = { ...providers, gamma: { ...providers.gamma, base_url: h.fake.url } };
    return makeConfig(h.fake.url, { default: ["alpha/g-exp", "beta/g-cheap", "gamma/g-mid"] }, { providers: p, top: { edition: { budget_usd: budget } } });
  };

  it("keeps the chain's order while the edition is within budget", async () => {
    for (const m of ["g-exp", "g-cheap", "g-mid"]) h.fake.setBehaviour(m, behave.ok(SCRIPT));
    const r = await testRouter(cfg(100), h.db).router.run(scriptTask(), STORY, { editionId: newEdition() });
    expect(r.model).toBe("g-exp");
    expect(r.notes).toBeUndefined();
  });

  it("puts the cheapest model first when the next call would pass the budget, and records it", async () => {
    const spans = memorySpans();
    spans.reset();
    const editionId = newEdition();
    const r = await testRouter(cfg(0.5), h.db).router.run(scriptTask(), STORY, { editionId });
    expect(r.model).toBe("g-cheap");
    expect(r.notes?.[0]).toMatch(/^budget: /);
    const [row] = await rowsOf(editionId);
    expect(row.note).toContain("cheapest eligible model first (beta/g-cheap)");
    const agent = spans.getFinishedSpans().find((s) => s.name === "invoke_agent writer")!;
    const ev = agent.events.find((e) => e.name === "newsroom.budget");
    expect(ev?.attributes?.["newsroom.budget.chosen"]).toBe("beta/g-cheap");
  });

  it("under budget pressure the preferred camp still comes first", async () => {
    const r = await testRouter(cfg(0.5), h.db).router.run(scriptTask(), STORY, { editionId: newEdition(), preferCamps: ["us"] });
    expect(r.model).toBe("g-mid");
  });

  it("counts what the edition already spent, another replica's rows too once reconciled", async () => {
    const editionId = newEdition();
    // Re-read the edition's spend on every check (the default is every 2 s): no waiting in a test.
    openLedger(h.db, { reconcileMs: 0 });
    const router = testRouter(cfg(10_000), h.db).router;
    expect((await router.run(scriptTask(), STORY, { editionId })).model).toBe("g-exp");
    await h.db
      .insertInto("model_calls")
      .values({ edition_id: editionId, role: "writer", kind: "chat", provider: "alpha", model: "g-exp", camp: "us", input_tokens: 0, output_tokens: 0, tokens_estimated: false, characters: 0, cost_usd: 9_999.9, latency_ms: 1, outcome: "ok", error_class: null, note: "spent elsewhere" })
      .execute();
    expect((await router.run(scriptTask(), STORY, { editionId })).model).toBe("g-cheap");
  });
});
