// bench/cost's arithmetic: tokens per role x the routed provider's prices, characters x the
// speech vendor's price, and the routing read from the chains' primaries.
import { describe, expect, it } from "vitest";
import { parseConfig } from "@newsroom/platform/config/load";
import { allOn, priceEdition, primaryRouting, ttsPerMinute } from "../../bench/cost/pricing.js";
import type { RoleUsage } from "../support/vendor-edition.js";

const config = parseConfig(
  `feeds: [{url: "https://example.org/feed.xml"}]
providers:
  cheap: {camp: cn, base_url: "https://cheap.example/v1", prices: {input_per_mtok: 0.5, output_per_mtok: 2}}
  dear: {camp: us, base_url: "https://dear.example/v1", prices: {input_per_mtok: 10, output_per_mtok: 40}}
  offline: {camp: local, kind: offline}
roles:
  default: [cheap/m, dear/m, offline/extractive]
  fact_checker: [dear/m, cheap/m, offline/extractive]
  deputy_editor: [dear/m, cheap/m, offline/extractive]
  cross_reviewer: [dear/m, cheap/m, offline/extractive]
  freshness_judge: [dear/m, cheap/m, offline/extractive]
tts_providers:
  talk: {kind: openai, base_url: "https://talk.example/v1", price_per_mchar: 20}
`,
  "inline.yaml",
  {},
);

const usage: RoleUsage[] = [
  { role: "writer", kind: "chat", calls: 2, input_tokens: 1_000_000, output_tokens: 500_000, characters: 0 },
  { role: "fact_checker", kind: "chat", calls: 1, input_tokens: 200_000, output_tokens: 100_000, characters: 0 },
  { role: "anchor_a", kind: "tts", calls: 3, input_tokens: 0, output_tokens: 0, characters: 50_000 },
];

describe("bench/cost pricing", () => {
  it("routes each role to its chain's primary, the default chain when it has none", () => {
    expect(primaryRouting(config, ["writer", "fact_checker"])).toEqual({ writer: "cheap", fact_checker: "dear" });
  });

  it("prices tokens at the routed provider and characters at the speech vendor", () => {
    const p = priceEdition(usage, primaryRouting(config, ["writer", "fact_checker"]), "talk", config);
    // writer on cheap: 1 x 0.5 + 0.5 x 2 = 1.5; fact_checker on dear: 0.2 x 10 + 0.1 x 40 = 6
    expect(p.roles.map((r) => [r.role, r.provider, r.cost_usd])).toEqual([
      ["writer", "cheap", 1.5],
      ["fact_checker", "dear", 6],
    ]);
    expect(p.models_usd).toBeCloseTo(7.5, 9);
    expect(p.tts_usd).toBeCloseTo(1, 9); // 50,000 characters x $20 per million
    expect(p.total_usd).toBeCloseTo(8.5, 9);
    expect(priceEdition(usage, allOn("dear", ["writer", "fact_checker"]), "talk", config).models_usd).toBeCloseTo(10 + 20 + 6, 9);
  });

  it("names a routed provider or speech vendor the config does not price", () => {
    expect(() => priceEdition(usage, allOn("nobody", ["writer", "fact_checker"]), "talk", config)).toThrow(/provider "nobody"/);
    expect(() => priceEdition(usage, allOn("cheap", ["writer", "fact_checker"]), "silent", config)).toThrow(/tts provider "silent"/);
  });

  it("prices a minute of audio at the edition's characters per minute", () => {
    // 1,800 characters in 2 minutes at $20 per million: $0.036 / 2 = $0.018 a minute
    expect(ttsPerMinute(20, 1_800, 120_000)).toBeCloseTo(0.018, 9);
    expect(ttsPerMinute(20, 1_800, 0)).toBe(0);
  });
});
