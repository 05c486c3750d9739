// Trust nobody at run time: a review is never done by the vendor that wrote what is reviewed,
// also when a fallback changed the author, and also when the reviewer's own chain falls back.
import { describe, expect, it } from "vitest";
import { ReviewIndependenceError } from "@newsroom/platform/router/types";
import { behave } from "../fakes/openai-server.js";
import { GOOD_REVIEW, makeConfig, reviewTask, routerHarness, SCRIPT, scriptTask, STORY, testRouter } from "./support.js";

const h = routerHarness();

const REVIEW = JSON.stringify(GOOD_REVIEW);

describe("review independence", () => {
  it("skips the author's vendor in the reviewer's chain", async () => {
    h.fake.setBehaviour("i1-wa", behave.ok(SCRIPT));
    h.fake.setBehaviour("i1-fa", behave.ok(REVIEW));
    h.fake.setBehaviour("i1-fb", behave.ok(REVIEW));
    // fact_checker: beta first, alpha second. The author is beta here (passed explicitly).
    const cfg = makeConfig(h.fake.url, { default: ["alpha/i1-wa", "beta/i1-wb"], fact_checker: ["beta/i1-fb", "alpha/i1-fa"] });
    const { router } = testRouter(cfg, h.db);
    const review = await router.run(reviewTask(), STORY, { avoidVendors: ["beta"] });
    expect(review.vendor).toBe("alpha");
    expect(review.completion).toBe("whole"); // skipping the author's vendor is not a fallback
    expect(h.fake.callsFor("i1-fb")).toHaveLength(0);
  });

  it("after the writer fell back to another vendor, the reviewer avoids that vendor", async () => {
    h.fake.setBehaviour("i2-wa", behave.fail(500));
    h.fake.setBehaviour("i2-wb", behave.ok(SCRIPT));
    h.fake.setBehaviour("i2-fb", behave.ok(REVIEW));
    h.fake.setBehaviour("i2-fa", behave.ok(REVIEW));
    const cfg = makeConfig(
      h.fake.url,
      { default: ["alpha/i2-wa", "beta/i2-wb"], fact_checker: ["beta/i2-fb", "alpha/i2-fa"] },
      { providers: { alpha: { max_retries: 0 } } },
    );
    const { router } = testRouter(cfg, h.db, { breaker: false });
    const script = await router.run(scriptTask(), STORY);
    expect(script.vendor).toBe("beta"); // the writer's first choice (alpha) failed
    h.fake.setBehaviour("i2-fa", behave.ok(REVIEW)); // alpha is healthy again for the review
    const review = await router.run(reviewTask(), { ...STORY, text: script.output }, { avoidVendors: [script.vendor] });
    expect(review.vendor).not.toBe(script.vendor);
    expect(review.model).toBe("i2-fa");
    expect(h.fake.callsFor("i2-fb")).toHaveLength(0);
  });

  it("when the reviewer's own choice fails, its fallback still skips the author's vendor", async () => {
    h.fake.setBehaviour("i3-fb", behave.fail(500));
    h.fake.setBehaviour("i3-fa", behave.ok(REVIEW));
    const cfg = makeConfig(
      h.fake.url,
      { default: ["alpha/i3-wa", "beta/i3-wb"], fact_checker: ["beta/i3-fb", "alpha/i3-fa", "offline/extractive"] },
      { providers: { beta: { max_retries: 0 } } },
    );
    const { router } = testRouter(cfg, h.db);
    const review = await router.run(reviewTask(), STORY, { avoidVendors: ["alpha"] });
    expect(review.provider).toBe("offline");
    expect(review.offline).toBe(true);
    expect(review.completion).toBe("fell_back");
    expect(h.fake.callsFor("i3-fa")).toHaveLength(0);
  });

  it("refuses, naming the role and the fix, when only the author's vendor is left", async () => {
    const cfg = makeConfig(
      h.fake.url,
      { default: ["alpha/i4-wa", "beta/i4-wb"], fact_checker: ["beta/i4-fb", "betaus/i4-fc"] },
      { providers: { betaus: { camp: "us", vendor: "beta", base_url: h.fake.url, api_key_env: "BETA_KEY" } } },
    );
    const { router } = testRouter(cfg, h.db);
    const err = await router.run(reviewTask(), STORY, { avoidVendors: ["beta"] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReviewIndependenceError);
    expect((err as Error).message).toContain("fact_checker");
    expect((err as Error).message).toContain("roles.fact_checker");
    expect((err as Error).message).toContain("allow_single_camp");
    expect(h.fake.callsFor("i4-fb")).toHaveLength(0);
  });

  it("with allow_single_camp the author's vendor may review, and the result and log say so", async () => {
    h.fake.setBehaviour("i5-fb", behave.ok(REVIEW));
    const cfg = makeConfig(
      h.fake.url,
      { default: ["alpha/i5-wa", "alpha/i5-wb"], fact_checker: ["alpha/i5-fb"] },
      { top: { allow_single_camp: true } },
    );
    expect(cfg.warnings.join("\n")).toContain("allow_single_camp");
    const { router, logLines } = testRouter(cfg, h.db);
    const review = await router.run(reviewTask(), STORY, { avoidVendors: ["alpha"] });
    expect(review.vendor).toBe("alpha");
    expect(review.notes?.join(" ")).toContain("author's own vendor");
    expect(logLines.some((l) => l.includes("author's own vendor"))).toBe(true);
  });

  it("prefers the camps it is asked to, keeping chain order otherwise", async () => {
    h.fake.setBehaviour("i6-fb", behave.ok(REVIEW));
    h.fake.setBehaviour("i6-fa", behave.ok(REVIEW));
    const cfg = makeConfig(h.fake.url, { default: ["alpha/i6-wa", "beta/i6-wb"], cross_reviewer: ["beta/i6-fb", "alpha/i6-fa"] });
    const { router } = testRouter(cfg, h.db);
    const r = await router.run(reviewTask("cross_reviewer"), STORY, { preferCamps: ["us"] });
    expect(r.camp).toBe("us");
    expect(h.fake.callsFor("i6-fb")).toHaveLength(0);
  });
});
