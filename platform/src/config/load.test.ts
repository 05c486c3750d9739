// The loader's promises to operators: errors name the key path, what was expected and what was
// found; trust-nobody camp rules refuse a config naming the roles and the fix; opting out with
// allow_single_camp loads with a warning.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, concernsModels, parseConfig } from "./load.js";

const SOURCE = "/etc/newsroom/newsroom.yaml";

function yaml(parts: { providers?: string; roles?: string; extra?: string }): string {
  return `
feeds:
  - url: https://example.org/feed.xml
providers:
${parts.providers ?? `  openai:
    camp: us
    base_url: https://api.openai.com/v1
    api_key_env: OPENAI_API_KEY
  deepseek:
    camp: cn
    base_url: https://api.deepseek.com
    api_key_env: DEEPSEEK_API_KEY
  offline:
    kind: offline
    camp: local`}
roles:
${parts.roles ?? `  default: [openai/gpt-4.1-mini, deepseek/deepseek-chat, offline/extractive]
  fact_checker: [deepseek/deepseek-chat, openai/gpt-4.1-mini, offline/extractive]
  cross_reviewer: [deepseek/deepseek-chat, openai/gpt-4.1-mini]
  freshness_judge: [deepseek/deepseek-chat, openai/gpt-4.1-mini]
  deputy_editor: [deepseek/deepseek-chat, openai/gpt-4.1-mini]`}
${parts.extra ?? ""}
`;
}

const ENV = { OPENAI_API_KEY: "sk-test-openai", DEEPSEEK_API_KEY: "sk-test-deepseek" };

function problemsOf(text: string, env: NodeJS.ProcessEnv = ENV): string[] {
  try {
    parseConfig(text, SOURCE, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(SOURCE);
    return (err as ConfigError).problems;
  }
  throw new Error("the config was accepted");
}

describe("a good config", () => {
  it("loads with chains resolved per role", () => {
    const cfg = parseConfig(yaml({}), SOURCE, ENV);
    expect(cfg.chains.writer.map((c) => [c.ref, c.camp, c.vendor])).toEqual([
      ["openai/gpt-4.1-mini", "us", "openai"],
      ["deepseek/deepseek-chat", "cn", "deepseek"],
      ["offline/extractive", "local", "offline"],
    ]);
    expect(cfg.chains.fact_checker[0].provider).toBe("deepseek");
    // The only warning: podcast.base_url left at its loopback default.
    expect(cfg.warnings).toEqual([expect.stringMatching(/^podcast\.base_url is http:\/\/localhost:8080\/, a loopback address/)]);
  });

  it("warns about a key variable that is not set, naming the variable, never a value", () => {
    const cfg = parseConfig(yaml({}), SOURCE, { OPENAI_API_KEY: "sk-test-openai" });
    expect(cfg.warnings.join("\n")).toContain("DEEPSEEK_API_KEY is not set");
    expect(cfg.warnings.join("\n")).not.toContain("sk-test-openai");
  });

  it("warns about a feed file or OPML that does not exist, naming the key and the resolved path", () => {
    const here = new URL("../../../samples/newsroom.yaml", import.meta.url).pathname;
    const text = yaml({}).replace(
      "  - url: https://example.org/feed.xml",
      "  - url: https://example.org/feed.xml\n  - file: feeds/zh/qq-news-guonei.gb2312.xml\n  - file: feeds/missing.xml\n  - opml: feeds/subscriptions.opml",
    );
    const cfg = parseConfig(text, here, ENV);
    const missing = cfg.warnings.filter((w) => w.startsWith("feeds"));
    expect(missing).toEqual([
      expect.stringMatching(/^feeds\[2\]\.file: \/.*samples\/feeds\/missing\.xml does not exist/),
      expect.stringMatching(/^feeds\[3\]\.opml: \/.*samples\/feeds\/subscriptions\.opml does not exist/),
    ]);
  });
});

describe("errors name the key path, what was expected and what was found", () => {
  it("a wrong type", () => {
    const text = yaml({}).replace("    api_key_env: OPENAI_API_KEY", "    api_key_env: OPENAI_API_KEY\n    timeout_ms: soon");
    const [p] = problemsOf(text);
    expect(p).toMatch(/^providers\.openai\.timeout_ms: /);
    expect(p).toContain("expected number");
    expect(p).toContain('found "soon"');
  });

  it("a bad enum value", () => {
    const [p] = problemsOf(yaml({}).replace("camp: cn", "camp: eu"));
    expect(p).toMatch(/^providers\.deepseek\.camp: /);
    expect(p).toContain('"us"');
    expect(p).toContain('found "eu"');
  });

  it("a missing base_url for an OpenAI-compatible provider", () => {
    const [p] = problemsOf(yaml({}).replace("    base_url: https://api.deepseek.com\n", ""));
    expect(p).toContain("providers.deepseek.base_url");
    expect(p).toContain("required for kind openai");
  });

  it("an unknown key", () => {
    const [p] = problemsOf(yaml({ extra: "edition:\n  slots: 3" }));
    expect(p).toBe("edition: unknown key(s) slots");
  });

  it("a chain naming a provider that does not exist, with the ones that do", () => {
    const ps = problemsOf(yaml({ roles: "  default: [openai/gpt-4.1-mini, qwen/qwen-plus]" }));
    expect(ps.find((p) => p.startsWith("roles.default[1]"))).toContain('provider "qwen" is not defined under providers (known: openai, deepseek, offline)');
  });

  it("a model reference without a provider", () => {
    const [p] = problemsOf(yaml({ roles: "  default: [gpt-4.1-mini]" }));
    expect(p).toContain("roles.default[0]");
    expect(p).toContain('"provider/model"');
    expect(p).toContain('found "gpt-4.1-mini"');
  });
});

describe("voices: one chain for every language, or one per language", () => {
  const tts = "tts_providers:\n  mm: {kind: minimax, base_url: https://api.minimax.chat, api_key_env: OPENAI_API_KEY}\n  el: {kind: elevenlabs, base_url: https://api.elevenlabs.io, api_key_env: OPENAI_API_KEY}\n";
  it("accepts today's list and a chain per language", () => {
    const cfg = parseConfig(yaml({ extra: `${tts}voices:\n  anchor_a: {zh: [mm/female-shaonv], en: [el/rachel, mm/female-shaonv]}\n  anchor_b: [mm/male-qn-qingse]` }), SOURCE, ENV);
    expect(cfg.voices).toEqual({ anchor_a: { zh: ["mm/female-shaonv"], en: ["el/rachel", "mm/female-shaonv"] }, anchor_b: ["mm/male-qn-qingse"] });
  });

  it("names the language's chain when a voice's provider does not exist", () => {
    const ps = problemsOf(yaml({ extra: `${tts}voices:\n  anchor_a: {zh: [mm/female-shaonv], en: [el/rachel, openai/onyx]}` }));
    expect(ps).toEqual(['voices.anchor_a.en[1]: tts provider "openai" is not defined under tts_providers (known: mm, el)']);
  });

  it("refuses a per-language form without a chain, an unknown language and a bare value, saying what is expected", () => {
    expect(problemsOf(yaml({ extra: `${tts}voices:\n  anchor_a: {}` }))).toEqual(["voices.anchor_a: give a chain of voices for zh, en or both; found {}"]);
    expect(problemsOf(yaml({ extra: `${tts}voices:\n  anchor_a: {fr: [mm/x]}` }))).toContain("voices.anchor_a: unknown key(s) fr");
    expect(problemsOf(yaml({ extra: `${tts}voices:\n  anchor_a: mm/x` }))).toEqual([
      'voices.anchor_a: expected a list of "tts_provider/voice" or one per language, {zh: [...], en: [...]}; found "mm/x"',
    ]);
  });
});

describe("trust nobody", () => {
  const oneCamp = yaml({
    providers: `  openai:
    camp: us
    base_url: https://api.openai.com/v1
    api_key_env: OPENAI_API_KEY
  xai:
    camp: us
    base_url: https://api.x.ai/v1
    api_key_env: XAI_API_KEY`,
    roles: `  default: [openai/gpt-4.1-mini, xai/grok-3-mini]
  fact_checker: [xai/grok-3-mini, openai/gpt-4.1-mini]
  cross_reviewer: [xai/grok-3-mini, openai/gpt-4.1-mini]
  freshness_judge: [xai/grok-3-mini, openai/gpt-4.1-mini]
  deputy_editor: [xai/grok-3-mini, openai/gpt-4.1-mini]`,
  });
  const env = { ...ENV, XAI_API_KEY: "xai-test" };

  it("refuses a config whose chains stay in one camp, naming every role and the fix", () => {
    const ps = problemsOf(oneCamp, env);
    for (const role of ["editor_in_chief", "deputy_editor", "writer", "translator", "headline_editor", "fact_checker", "cross_reviewer", "freshness_judge", "arbiter"])
      expect(ps.some((p) => p.startsWith(`roles.${role}: every model is in camp "us"`)), role).toBe(true);
    expect(ps[0]).toContain("add a backup from another camp");
    expect(ps[0]).toContain("allow_single_camp: true");
  });

  it("with allow_single_camp: true it loads and warns", () => {
    const cfg = parseConfig(`${oneCamp}\nallow_single_camp: true\n`, SOURCE, env);
    expect(cfg.allow_single_camp).toBe(true);
    const warning = cfg.warnings.find((w) => w.includes("allow_single_camp is on"));
    expect(warning).toContain("writer");
    expect(warning).toContain("fact_checker");
  });

  it("tells warnings about models apart, so services that run no model (the site) leave them out", () => {
    const cfg = parseConfig(`${oneCamp}\nallow_single_camp: true\npodcast: {title: T, author: A, base_url: "http://localhost:8080/"}\n`, SOURCE, { XAI_API_KEY: "xai-test" });
    const about = (text: string) => cfg.warnings.filter((w) => w.includes(text));
    expect(about("allow_single_camp is on").map(concernsModels)).toEqual([true]);
    expect(about("OPENAI_API_KEY is not set").map(concernsModels)).toEqual([true]);
    expect(about("a loopback address").map(concernsModels)).toEqual([false]);
  });

  it("refuses a reviewer whose first choice is the author's vendor, naming both roles and the fix", () => {
    const ps = problemsOf(yaml({ roles: `  default: [openai/gpt-4.1-mini, deepseek/deepseek-chat]
  cross_reviewer: [deepseek/deepseek-chat, openai/gpt-4.1-mini]
  freshness_judge: [deepseek/deepseek-chat, openai/gpt-4.1-mini]
  deputy_editor: [deepseek/deepseek-chat, openai/gpt-4.1-mini]
  fact_checker: [openai/gpt-4o, deepseek/deepseek-chat]` }));
    expect(ps).toHaveLength(1);
    expect(ps[0]).toContain("roles.fact_checker");
    expect(ps[0]).toContain('vendor "openai"');
    expect(ps[0]).toContain("writer");
    expect(ps[0]).toContain("put a model of another vendor first");
  });

  it("vendor, not provider, decides: OpenAI models through OpenRouter are still OpenAI's", () => {
    const ps = problemsOf(yaml({
      providers: `  openai:
    camp: us
    base_url: https://api.openai.com/v1
  openrouter_openai:
    camp: us
    vendor: openai
    base_url: https://openrouter.ai/api/v1
  deepseek:
    camp: cn
    base_url: https://api.deepseek.com`,
      roles: `  default: [openai/gpt-4.1-mini, deepseek/deepseek-chat]
  fact_checker: [openrouter_openai/openai/gpt-4.1, deepseek/deepseek-chat]
  cross_reviewer: [deepseek/deepseek-chat, openai/gpt-4.1-mini]
  freshness_judge: [deepseek/deepseek-chat, openai/gpt-4.1-mini]
  deputy_editor: [deepseek/deepseek-chat, openai/gpt-4.1-mini]`,
    }));
    expect(ps).toHaveLength(1);
    expect(ps[0]).toContain("roles.fact_checker");
  });
});

describe("examples/providers.yaml", () => {
  it("loads as a config: every preset is valid and every chain keeps the camp rules", () => {
    const file = new URL("../../../examples/providers.yaml", import.meta.url);
    const cfg = parseConfig(readFileSync(file, "utf8"), file.pathname, {});
    const names = Object.keys(cfg.providers);
    for (const p of ["openai", "deepseek", "qwen", "kimi", "glm", "minimax", "xai", "gemini", "openrouter", "ollama", "offline"]) expect(names).toContain(p);
    for (const [name, p] of Object.entries(cfg.providers)) if (p.kind === "openai") expect(p.base_url, name).toMatch(/^https?:\/\//);
    expect(cfg.providers.gemini.base_url).toBe("https://generativelanguage.googleapis.com/v1beta/openai/");
    expect(cfg.providers.qwen.base_url).toContain("compatible-mode/v1");
    expect(new Set(Object.values(cfg.chains).map((c) => c[0].ref)).size).toBeGreaterThan(3);
  });
});
