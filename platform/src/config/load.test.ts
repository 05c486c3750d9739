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
    expect(p).toContain("expected a number");
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

  it("an unknown key, with the keys that are known", () => {
    const [p] = problemsOf(yaml({ extra: "edition:\n  slots: 3" }));
    expect(p).toBe(
      'edition: unknown key "slots", expected one of language, stories, window_hours, timezone, anchors, deadline_minutes, budget_usd, max_revise_rounds, schedule, audience, target_words',
    );
  });

  it("a chain naming a provider that does not exist, with the ones that do", () => {
    const ps = problemsOf(yaml({ roles: "  default: [openai/gpt-4.1-mini, qwen/qwen-plus]" }));
    expect(ps.find((p) => p.startsWith("roles.default[1]"))).toBe(
      'roles.default[1]: expected a model of a provider defined under providers (openai, deepseek, offline), found "qwen/qwen-plus"',
    );
  });

  it("a model reference without a provider", () => {
    const [p] = problemsOf(yaml({ roles: "  default: [gpt-4.1-mini]" }));
    expect(p).toContain("roles.default[0]");
    expect(p).toContain('"provider/model"');
    expect(p).toContain('found "gpt-4.1-mini"');
  });
});

describe("every bad value is one line: the key path, what that key expects and what was found", () => {
  const FEED = "  - url: https://example.org/feed.xml";
  const feed = (entry: string) => yaml({}).replace(FEED, `  - ${entry}`);
  const extra = (text: string) => yaml({ extra: text });
  const provider = (line: string) => yaml({}).replace("    api_key_env: OPENAI_API_KEY", `    api_key_env: OPENAI_API_KEY\n    ${line}`);
  const TTS = "tts_providers:\n  mm: {kind: minimax, base_url: https://api.minimax.chat}\n";
  const EDITION_KEYS = "language, stories, window_hours, timezone, anchors, deadline_minutes, budget_usd, max_revise_rounds, schedule, audience, target_words";

  const cases: [string, string, string][] = [
    // Union fields: the union's own message, or the problem inside the form the value plainly has.
    ["an anchor's name that is neither", extra("anchors:\n  anchor_b: {name: 42}"), "anchors.anchor_b.name: expected a name or {zh, en} names, found 42"],
    ["an anchor's per-language name", extra("anchors:\n  anchor_b: {name: {zh: 42}}"), "anchors.anchor_b.name.zh: expected a name of 1 to 40 characters, found 42"],
    ["an anchor's empty name", extra('anchors:\n  anchor_b: {name: ""}'), 'anchors.anchor_b.name: expected a name of 1 to 40 characters, found ""'],
    ["an anchor's name in an unknown language", extra("anchors:\n  anchor_b: {name: {fr: Luc}}"), 'anchors.anchor_b.name: unknown key "fr", expected one of zh, en'],
    ["edition.anchors", extra("edition:\n  anchors: 3"), "edition.anchors: expected 1 or 2, found 3"],
    ["a persona's voices that are neither form", extra(`${TTS}voices:\n  anchor_a: 5`), 'voices.anchor_a: expected a list of "tts_provider/voice" or one per language, {zh: [...], en: [...]}, found 5'],
    ["a voice in a per-language chain", extra(`${TTS}voices:\n  anchor_a: {zh: [shaonv]}`), 'voices.anchor_a.zh[0]: expected a "tts_provider/voice" reference such as minimax/female-shaonv, found "shaonv"'],
    ["an empty voice chain", extra(`${TTS}voices:\n  anchor_a: []`), "voices.anchor_a: expected at least one voice, found []"],
    ["a feed that is not a mapping", feed("42"), "feeds[0]: expected a feed {url}, {file} or {opml} (url and file may add name and timezone), found 42"],
    ["a feed with two sources", feed("{url: https://example.org/a.xml, opml: subs.opml}"), 'feeds[0]: expected a feed {url}, {file} or {opml} (url and file may add name and timezone), found {"url":"https://example.org/a.xml","opml":"subs.opml"}'],
    ["a feed without a source", feed("{timezone: Asia/Seoul}"), 'feeds[0]: expected a feed {url}, {file} or {opml} (url and file may add name and timezone), found {"timezone":"Asia/Seoul"}'],
    ["a feed's bad URL", feed("{url: example.org/feed}"), 'feeds[0].url: expected the feed\'s http(s) URL, found "example.org/feed"'],
    ["a feed's bad time zone", feed("{url: https://example.org/a.xml, timezone: Seoul}"), 'feeds[0].timezone: expected an IANA time zone such as Asia/Shanghai, found "Seoul"'],
    ["a feed's empty file", feed('{file: ""}'), 'feeds[0].file: expected the path of a file, found ""'],
    ["no feeds", yaml({}).replace(FEED, "  []").replace("feeds:\n", "feeds:"), "feeds: expected at least one feed, found []"],
    ["a model reference without a provider", yaml({ roles: "  default: [gpt-4.1-mini]" }), 'roles.default[0]: expected a "provider/model" reference such as openai/gpt-4.1-mini, found "gpt-4.1-mini"'],
    ["a chain that is one reference", yaml({ roles: "  default: openai/gpt-4.1-mini" }), 'roles.default: expected a list of "provider/model" references, found "openai/gpt-4.1-mini"'],
    // Enums.
    ["edition.language", extra("edition:\n  language: fr"), 'edition.language: expected one of "zh", "en" or "bilingual", found "fr"'],
    ["a provider's camp", yaml({}).replace("camp: cn", "camp: eu"), 'providers.deepseek.camp: expected one of "us", "cn" or "local", found "eu"'],
    ["an anchor's role", extra("anchors:\n  anchor_a: {role: host}"), 'anchors.anchor_a.role: expected "lead" or "co-host", found "host"'],
    ["a tts provider's kind", extra("tts_providers:\n  mm: {kind: azure, base_url: https://example.org}"), 'tts_providers.mm.kind: expected one of "minimax", "elevenlabs", "openai" or "local", found "azure"'],
    ["two lead anchors", extra("anchors:\n  anchor_a: {role: lead}\n  anchor_b: {role: lead}"), 'anchors.anchor_b.role: expected "co-host" (anchor_a is the lead; one leads, one co-hosts), found "lead"'],
    // Unknown keys, with a guess when one is close.
    ["a misspelt edition key", extra("edition:\n  storys: 3"), 'edition: unknown key "storys" (did you mean "stories"?)'],
    ["a misspelt top-level key", extra("feed: []"), '(top level): unknown key "feed" (did you mean "feeds"?)'],
    ["a misspelt role", yaml({ roles: "  default: [openai/gpt-4.1-mini, deepseek/deepseek-chat]\n  writter: [openai/gpt-4.1-mini]" }), 'roles: unknown key "writter" (did you mean "writer"?)'],
    ["a misspelt provider key", provider("timout_ms: 1000"), 'providers.openai: unknown key "timout_ms" (did you mean "timeout_ms"?)'],
    ["an unknown persona", extra("anchors:\n  anchor_c: {role: lead}"), 'anchors: unknown key "anchor_c" (did you mean "anchor_a"?)'],
    ["unknown keys without a guess", extra("edition:\n  slots: 3\n  storys: 3"), `edition: unknown keys "slots", "storys" (did you mean "stories"?), expected one of ${EDITION_KEYS}`],
    // Wrong types.
    ["a word for a number", provider("timeout_ms: soon"), 'providers.openai.timeout_ms: expected a number, found "soon"'],
    ["a word for true or false", extra("allow_single_camp: yes please"), 'allow_single_camp: expected true or false, found "yes please"'],
    ["a number for a section", extra("fetch: 5"), "fetch: expected a mapping of keys to values, found 5"],
    ["a number for a time zone", extra("edition:\n  timezone: 8"), "edition.timezone: expected an IANA time zone such as Asia/Shanghai, found 8"],
    ["an empty time zone", extra("edition:\n  timezone:"), "edition.timezone: expected an IANA time zone such as Asia/Shanghai, found an empty value"],
    ["a bad provider name", yaml({}).replace("  deepseek:\n", "  deep seek:\n"), 'providers.deep seek: expected a name of letters, digits, _ . or -, found the key "deep seek"'],
    // A key pasted where its variable's name belongs is not printed back.
    ["a secret for a variable name", yaml({}).replace("api_key_env: OPENAI_API_KEY", "api_key_env: sk-live-0123456789"), "providers.openai.api_key_env: expected an environment variable name such as DEEPSEEK_API_KEY, found a value not shown here (it may be a secret)"],
    ["a number for a variable name", yaml({}).replace("api_key_env: OPENAI_API_KEY", "api_key_env: 42"), "providers.openai.api_key_env: expected an environment variable name such as DEEPSEEK_API_KEY, found 42"],
    ["a bad owner email", extra("podcast:\n  owner: {name: Ed, email: ed-at-example}"), 'podcast.owner.email: expected an email address, found "ed-at-example"'],
    // Out-of-range numbers.
    ["too few stories", extra("edition:\n  stories: 0"), "edition.stories: expected a number of at least 1, found 0"],
    ["too many stories", extra("edition:\n  stories: 51"), "edition.stories: expected a number of at most 50, found 51"],
    ["half a story", extra("edition:\n  stories: 2.5"), "edition.stories: expected a whole number, found 2.5"],
    ["a zero window", extra("edition:\n  window_hours: 0"), "edition.window_hours: expected a number above 0, found 0"],
    ["a hot temperature", extra("temperature:\n  writer: 3"), "temperature.writer: expected a number of at most 2, found 3"],
    ["a short audience", extra("edition:\n  audience: us"), 'edition.audience: expected text of at least 3 characters, found "us"'],
    ["a small context window", provider("context_tokens: 512"), "providers.openai.context_tokens: expected a number of at least 1024, found 512"],
    // Time zones and local times.
    ["a bad time zone", extra("edition:\n  timezone: Mars/Olympus"), 'edition.timezone: expected an IANA time zone such as Asia/Shanghai, found "Mars/Olympus"'],
    ["a time that is not HH:MM", extra("edition:\n  schedule: {morning: 7am}"), 'edition.schedule.morning: expected a local time "HH:MM" such as "07:00", found "7am"'],
    ["an hour past 23", extra('edition:\n  schedule: {evening: "24:00"}'), 'edition.schedule.evening: expected a local time "HH:MM" such as "07:00", found "24:00"'],
    // Rules across keys.
    ["a missing endpoint", yaml({}).replace("    base_url: https://api.deepseek.com\n", ""), "providers.deepseek.base_url: expected the URL of an OpenAI-compatible endpoint (required for kind openai), found nothing"],
    ["workers for a vendor", extra("tts_providers:\n  mm: {kind: minimax, base_url: https://api.minimax.chat, workers: 2}"), "tts_providers.mm.workers: expected no workers: only kind local has them (the minimax vendor does the work), found 2"],
    ["a voice of an undefined tts provider", extra(`${TTS}voices:\n  anchor_a: [el/rachel]`), 'voices.anchor_a[0]: expected a voice of a tts provider defined under tts_providers (mm), found "el/rachel"'],
  ];

  it.each(cases)("%s", (_what, text, line) => {
    expect(problemsOf(text)).toEqual([line]);
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
    expect(ps).toEqual(['voices.anchor_a.en[1]: expected a voice of a tts provider defined under tts_providers (mm, el), found "openai/onyx"']);
  });

  it("refuses a per-language form without a chain, an unknown language and a bare value, saying what is expected", () => {
    expect(problemsOf(yaml({ extra: `${tts}voices:\n  anchor_a: {}` }))).toEqual(["voices.anchor_a: expected a chain of voices for zh, en or both, found {}"]);
    expect(problemsOf(yaml({ extra: `${tts}voices:\n  anchor_a: {fr: [mm/x]}` }))).toEqual(['voices.anchor_a: unknown key "fr", expected one of zh, en']);
    expect(problemsOf(yaml({ extra: `${tts}voices:\n  anchor_a: mm/x` }))).toEqual([
      'voices.anchor_a: expected a list of "tts_provider/voice" or one per language, {zh: [...], en: [...]}, found "mm/x"',
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
      expect(ps.some((p) => p.startsWith(`roles.${role}: expected models from two camps`) && p.endsWith('found every model in camp "us"')), role).toBe(true);
    expect(ps[0]).toBe('roles.editor_in_chief: expected models from two camps (add a backup from cn or local, or set allow_single_camp: true), found every model in camp "us"');
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
    expect(ps[0]).toBe('roles.fact_checker: expected a first choice by a vendor other than "openai" (it writes for writer: openai/gpt-4.1-mini), found "openai/gpt-4o"');
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
