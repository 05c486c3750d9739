// The README's config examples are what newcomers copy: each must load with the project's own
// config loader, trust-nobody rules included (no allow_single_camp in them). A block that is a
// whole config (it has feeds and providers) loads as it is; a snippet (one key or two) loads
// merged over the first whole config, so its keys and values are checked too.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@newsroom/platform/config/load";

const README = new URL("../../README.md", import.meta.url);

/** Every ```yaml block of the README, with the line it starts on. */
function yamlBlocks(markdown: string): { line: number; text: string }[] {
  return [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((m) => ({ line: markdown.slice(0, m.index).split("\n").length, text: m[1] }));
}

type Doc = Record<string, unknown>;
const isRecord = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);
const isWhole = (doc: Doc) => "feeds" in doc && "providers" in doc;

/** The snippet's keys over the base config's; a map (providers, temperature) gains the snippet's entries. */
function over(base: Doc, snippet: Doc): Doc {
  const out: Doc = { ...base };
  for (const [k, v] of Object.entries(snippet)) out[k] = isRecord(v) && isRecord(base[k]) ? { ...base[k], ...v } : v;
  return out;
}

const blocks = yamlBlocks(readFileSync(README, "utf8")).map((b) => ({ ...b, doc: parse(b.text) as Doc }));
const whole = blocks.filter((b) => isWhole(b.doc));

describe("the README's config examples", () => {
  it("has a whole config to copy, and every block is YAML of top-level keys", () => {
    expect(whole.length).toBeGreaterThanOrEqual(1);
    for (const b of blocks) expect(isRecord(b.doc), `README line ${b.line}`).toBe(true);
  });

  it.each(blocks.map((b) => [b.line, b] as const))("the block at README line %i loads and keeps the trust-nobody rules", (_line, b) => {
    const doc = isWhole(b.doc) ? b.doc : over(whole[0].doc, b.doc);
    // A YAML dump of the merged document: parseConfig reads text, as the CLI does.
    const cfg = parseConfig(JSON.stringify(doc), "/tmp/newsroom-readme/newsroom.yaml", {});
    expect(cfg.allow_single_camp).toBeFalsy();
    expect(cfg.warnings.filter((w) => w.startsWith("allow_single_camp"))).toEqual([]);
    for (const key of Object.keys(b.doc)) expect(cfg, `README line ${b.line}: ${key}`).toHaveProperty(key);
  });
});
