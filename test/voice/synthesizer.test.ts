// The synthesizer against vendor fakes with faults: an outage falls back on the same persona's
// chain, cut-off and silent audio are caught and redone, a breaker stops calling a failing
// vendor, one story keeps one voice per persona, and every request is in the ledger.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import { createSynthesizer, VoiceChainExhaustedError, type Synthesizer } from "@newsroom/voice/speech/synthesizer";
import { voiceChain, voiceFor } from "@newsroom/voice/voices";
import { fakeSpeechMs, startTtsFakes, type TtsFakes } from "../fakes/tts-servers.js";
import { freshPglite } from "../support/services.js";
import { voiceConfig } from "./config.js";
import { ledgerFor } from "@newsroom/platform/ledger/ledger";

const ZH = "中国人民银行周二宣布维持贷款市场报价利率不变。";
let fakes: TtsFakes;
let db: Db;
let env: NodeJS.ProcessEnv;
let config: LoadedConfig;
let speech: Synthesizer;
const logLines: string[] = [];

function configFor(f: TtsFakes): LoadedConfig {
  return voiceConfig(
    `
tts_providers:
  minimax: { kind: minimax, base_url: "${f.minimax.url}", api_key_env: MM_KEY, max_retries: 1, timeout_ms: 800, price_per_mchar: 30 }
  eleven: { kind: elevenlabs, base_url: "${f.elevenlabs.url}", api_key_env: EL_KEY, max_retries: 1, price_per_mchar: 180 }
  openai: { kind: openai, base_url: "${f.openai.url}/v1", api_key_env: OA_KEY, max_retries: 0, price_per_mchar: 15 }
  local: { kind: local }
voices:
  anchor_a: ["minimax/female-shaonv", "eleven/anchor-a-el", "local/+f3"]
  anchor_b: ["minimax/male-qn-qingse", "openai/onyx"]
`);
}

async function ledger() {
  await ledgerFor(db).flush();
  return db.selectFrom("model_calls").selectAll().orderBy("id").execute();
}

beforeAll(async () => {
  fakes = await startTtsFakes();
  db = await freshPglite();
  env = { MM_KEY: fakes.minimax.apiKey, EL_KEY: fakes.elevenlabs.apiKey, OA_KEY: fakes.openai.apiKey };
  config = configFor(fakes);
}, 30_000);
afterAll(async () => {
  await speech?.close();
  await fakes.close();
  await db.destroy();
});
beforeEach(async () => {
  for (const v of [fakes.minimax, fakes.elevenlabs, fakes.openai]) {
    v.failAlways(undefined);
    v.requests.length = 0;
  }
  await ledgerFor(db).flush();
  await db.deleteFrom("model_calls").execute();
  logLines.length = 0;
  const log = { debug() {}, info: (m: string) => logLines.push(m), warn: (m: string, f?: object) => logLines.push(m + JSON.stringify(f ?? {})), error: (m: string) => logLines.push(m), child: () => log };
  speech = createSynthesizer({ config, db, env, log, retryDelayMs: 5, breaker: { threshold: 4, halfOpenAfterMs: 60_000 } });
});
afterEach(() => speech.close());

describe("personas and voices", () => {
  it("maps each persona to its voice on every provider of its chain, ending on a local voice", () => {
    expect(voiceFor(config, "anchor_a", "eleven", "zh")).toBe("anchor-a-el");
    expect(voiceFor(config, "anchor_b", "openai", "en")).toBe("onyx");
    expect(voiceChain(config, "anchor_b", "zh").map((c) => c.ref)).toEqual(["minimax/male-qn-qingse", "openai/onyx", "local/+m3"]);
  });
});

describe("synthesize", () => {
  it("speaks on the persona's first voice and records the call with its cost", async () => {
    const out = await speech.synthesize(ZH, { persona: "anchor_a", language: "zh", editionId: "e1", storyId: "s1" });
    expect(out).toMatchObject({ provider: "minimax", voice: "female-shaonv", attempts: 1, sampleRate: 24_000 });
    expect(Math.abs(out.durationMs - fakeSpeechMs(ZH))).toBeLessThan(20);
    const rows = await ledger();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "tts", role: "anchor_a", provider: "minimax", camp: "cn", outcome: "ok", edition_id: "e1", story_id: "s1", characters: [...ZH].length });
    expect(rows[0].cost_usd).toBeCloseTo(([...ZH].length * 30) / 1e6, 12);
  });

  it("a vendor outage falls back down the same persona's chain", async () => {
    fakes.minimax.failAlways("500");
    const a = await speech.synthesize(ZH, { persona: "anchor_a", language: "zh" });
    expect(a).toMatchObject({ provider: "eleven", voice: "anchor-a-el", attempts: 3 });
    const b = await speech.synthesize(ZH, { persona: "anchor_b", language: "zh" });
    expect(b).toMatchObject({ provider: "openai", voice: "onyx" });
    const rows = await ledger();
    expect(rows.filter((r) => r.provider === "minimax").map((r) => r.outcome)).toEqual(["error", "error", "error", "error"]);
    expect(rows.filter((r) => r.provider === "minimax").every((r) => r.cost_usd === 0 && r.error_class === "http_500")).toBe(true);
    expect(rows.filter((r) => r.outcome === "ok").map((r) => r.provider)).toEqual(["eleven", "openai"]);
  });

  it("MiniMax's base_resp error inside HTTP 200 is retried", async () => {
    fakes.minimax.failNext("base_resp");
    const out = await speech.synthesize(ZH, { persona: "anchor_a", language: "zh" });
    expect(out).toMatchObject({ provider: "minimax", attempts: 2 });
    expect((await ledger()).map((r) => r.outcome)).toEqual(["error", "ok"]);
  });

  it("catches a cut-off segment, records it, and redoes it", async () => {
    fakes.minimax.failNext("truncate");
    const out = await speech.synthesize(ZH, { persona: "anchor_a", language: "zh" });
    expect(out).toMatchObject({ provider: "minimax", attempts: 2 });
    expect(out.durationMs).toBeGreaterThan(0.9 * fakeSpeechMs(ZH));
    const rows = await ledger();
    expect(rows.map((r) => r.outcome)).toEqual(["truncated", "ok"]);
    expect(rows[0].note).toMatch(/cut off: \d\.\d s of audio for text that takes about \d\.\d s/);
    // A vendor that keeps cutting off is left for the next voice.
    fakes.minimax.failAlways("truncate");
    expect(await speech.synthesize(ZH, { persona: "anchor_a", language: "zh" })).toMatchObject({ provider: "eleven" });
  });

  it("never ships silent audio", async () => {
    fakes.minimax.failAlways("silence");
    const out = await speech.synthesize(ZH, { persona: "anchor_a", language: "zh" });
    expect(out.provider).toBe("eleven");
    expect((await ledger()).filter((r) => r.provider === "minimax").map((r) => r.outcome)).toEqual(["invalid", "invalid"]);
  });

  it("a hung vendor times out and falls back", async () => {
    fakes.minimax.failAlways("hang");
    const out = await speech.synthesize(ZH, { persona: "anchor_b", language: "zh" });
    expect(out.provider).toBe("openai");
    expect((await ledger()).filter((r) => r.provider === "minimax").map((r) => r.outcome)).toEqual(["timeout", "timeout"]);
  });

  it("opens the breaker after repeated failures and stops calling that vendor", async () => {
    fakes.minimax.failAlways("500");
    await speech.synthesize(ZH, { persona: "anchor_a", language: "zh" });
    await speech.synthesize(ZH, { persona: "anchor_a", language: "zh" });
    const calls = fakes.minimax.requests.length;
    expect(calls).toBe(4);
    const out = await speech.synthesize(ZH, { persona: "anchor_b", language: "zh" });
    expect(out.provider).toBe("openai");
    expect(fakes.minimax.requests.length).toBe(calls);
    expect(logLines.some((l) => l.includes("circuit open"))).toBe(true);
  });

  it("ends every chain on the local engine", async () => {
    fakes.minimax.failAlways("auth");
    fakes.openai.failAlways("auth");
    const out = await speech.synthesize(ZH, { persona: "anchor_b", language: "zh" });
    expect(out).toMatchObject({ provider: "local", voice: "+m3", sampleRate: 22_050 });
    expect(out.durationMs).toBeGreaterThan(0.6 * out.expectedMs);
    // Refused keys are not retried: one request each.
    expect(fakes.minimax.requests).toHaveLength(1);
    expect(fakes.openai.requests).toHaveLength(1);
  }, 30_000);

  it("says why when every voice fails", async () => {
    const cfg = voiceConfig(
    `
tts_providers:
  minimax: { kind: minimax, base_url: "${fakes.minimax.url}", api_key_env: MM_KEY, max_retries: 0 }
  local: { kind: local, timeout_ms: 1, max_retries: 0 }
voices: { anchor_b: ["minimax/male-qn-qingse", "local/+m3"] }
`);
    const r = createSynthesizer({ config: cfg, env, retryDelayMs: 5 });
    fakes.minimax.failAlways("auth");
    const err = await r.synthesize(ZH, { persona: "anchor_b", language: "zh" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VoiceChainExhaustedError);
    expect((err as Error).message).toMatch(/^anchor_b: every voice failed \(minimax\/male-qn-qingse: minimax: base_resp 1004 authentication failed; local\/\+m3: local: timed out\)$/);
    await r.close();
  }, 30_000);

  it("splits text longer than a provider's limit at sentence boundaries", async () => {
    const small = voiceConfig(
    `
tts_providers:
  minimax: { kind: minimax, base_url: "${fakes.minimax.url}", api_key_env: MM_KEY, max_chars: 16 }
voices: { anchor_a: ["minimax/female-shaonv"] }
`);
    const r = createSynthesizer({ config: small, env, retryDelayMs: 5 });
    const text = "第一句话很短。第二句话也不长。第三句话说完了！";
    const out = await r.synthesize(text, { persona: "anchor_a", language: "zh" });
    expect(fakes.minimax.requests.map((q) => q.text)).toEqual(["第一句话很短。第二句话也不长。", "第三句话说完了！"]);
    expect(out.attempts).toBe(2);
    expect(Math.abs(out.durationMs - fakes.minimax.requests.reduce((n, q) => n + fakeSpeechMs(q.text), 0))).toBeLessThan(20);
    await r.close();
  });

  it("never writes the API key to the ledger or the log", async () => {
    fakes.minimax.failAlways("auth");
    await speech.synthesize(ZH, { persona: "anchor_a", language: "zh" });
    const dump = JSON.stringify(await ledger()) + logLines.join("\n");
    expect(dump).toContain("authentication failed");
    for (const key of [fakes.minimax.apiKey, fakes.elevenlabs.apiKey]) expect(dump).not.toContain(key);
  });
});

describe("one story, one voice per persona", () => {
  it("keeps the fallback voice for the rest of the story even after the first vendor recovers", async () => {
    const opts = { persona: "anchor_a" as const, language: "zh" as const, storyKey: "story-1" };
    expect((await speech.synthesize(ZH, opts)).provider).toBe("minimax");
    expect(speech.storyVoice("story-1", "anchor_a", "zh")).toBe("minimax/female-shaonv");
    fakes.minimax.failAlways("500");
    expect((await speech.synthesize(ZH, opts)).provider).toBe("eleven");
    fakes.minimax.failAlways(undefined);
    expect((await speech.synthesize(ZH, opts)).provider).toBe("eleven");
    expect(speech.storyVoice("story-1", "anchor_a", "zh")).toBe("eleven/anchor-a-el");
    // Another story starts again from the persona's first voice.
    expect((await speech.synthesize(ZH, { ...opts, storyKey: "story-2" })).provider).toBe("minimax");
  });
});

describe("synthesizeStream", () => {
  it("voices the first sentence on its own and marks only the final chunk last", async () => {
    const text = "第一句话很短。第二句话稍微长一些，还有逗号。第三句话说完了！";
    const chunks = [];
    for await (const c of speech.synthesizeStream(text, { persona: "anchor_a", language: "zh" })) chunks.push(c);
    expect(fakes.minimax.requests[0].text).toBe("第一句话很短。");
    expect(fakes.minimax.requests[0].stream).toBe(true);
    expect(fakes.minimax.requests.map((r) => r.text).join("")).toBe(text);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect(chunks.filter((c) => c.last)).toHaveLength(1);
    expect(chunks.at(-1)!.last).toBe(true);
    const ms = (chunks.reduce((n, c) => n + c.pcm.length, 0) / 24_000) * 1000;
    expect(Math.abs(ms - fakes.minimax.requests.reduce((n, q) => n + fakeSpeechMs(q.text), 0))).toBeLessThan(30);
  });

  it("falls back mid-stream on the same persona", async () => {
    fakes.minimax.failAlways("500");
    const chunks = [];
    for await (const c of speech.synthesizeStream("Hello there. This is the news.", { persona: "anchor_b", language: "en" })) chunks.push(c);
    expect(new Set(chunks.map((c) => `${c.provider}/${c.voice}`))).toEqual(new Set(["openai/onyx"]));
    expect(chunks.at(-1)!.last).toBe(true);
  });
});

describe("a voice chain per language (bilingual editions)", () => {
  const EN = "The central bank held its lending rates on Tuesday.";
  const perLanguage = () =>
    voiceConfig(
      `
tts_providers:
  minimax: { kind: minimax, base_url: "${fakes.minimax.url}", api_key_env: MM_KEY, max_retries: 0 }
  eleven: { kind: elevenlabs, base_url: "${fakes.elevenlabs.url}", api_key_env: EL_KEY, max_retries: 0 }
  local: { kind: local }
voices:
  anchor_a: { zh: ["minimax/female-shaonv"], en: ["eleven/anchor-a-el", "minimax/female-shaonv"] }
  anchor_b: { zh: ["minimax/male-qn-qingse"] }
`);

  it("gives each language its own chain, and a language without one the other's", () => {
    const cfg = perLanguage();
    expect(voiceChain(cfg, "anchor_a", "zh").map((c) => c.ref)).toEqual(["minimax/female-shaonv", "local/+f3"]);
    expect(voiceChain(cfg, "anchor_a", "en").map((c) => c.ref)).toEqual(["eleven/anchor-a-el", "minimax/female-shaonv", "local/+f3"]);
    expect(voiceChain(cfg, "anchor_b", "en").map((c) => c.ref)).toEqual(["minimax/male-qn-qingse", "local/+m3"]);
    expect(voiceFor(cfg, "anchor_a", "eleven", "zh")).toBeUndefined();
    expect(voiceFor(cfg, "anchor_a", "eleven", "en")).toBe("anchor-a-el");
  });

  it("voices each line on the chain of its language, and a fallback in one language leaves the other's voice alone", async () => {
    const s = createSynthesizer({ config: perLanguage(), env, retryDelayMs: 5 });
    try {
      const story = { persona: "anchor_a" as const, storyKey: "bilingual-1" };
      expect(await s.synthesize(ZH, { ...story, language: "zh" })).toMatchObject({ provider: "minimax", voice: "female-shaonv" });
      expect(await s.synthesize(EN, { ...story, language: "en" })).toMatchObject({ provider: "eleven", voice: "anchor-a-el" });
      expect(fakes.elevenlabs.requests.map((r) => r.text)).toEqual([EN]);
      fakes.elevenlabs.failAlways("500");
      expect((await s.synthesize(EN, { ...story, language: "en" })).provider).toBe("minimax");
      fakes.elevenlabs.failAlways(undefined);
      expect(s.storyVoice("bilingual-1", "anchor_a", "en")).toBe("minimax/female-shaonv");
      expect(s.storyVoice("bilingual-1", "anchor_a", "zh")).toBe("minimax/female-shaonv");
      // The English chain stays on its fallback for the story; a new story starts from its first voice.
      expect((await s.synthesize(EN, { ...story, language: "en" })).provider).toBe("minimax");
      expect((await s.synthesize(EN, { ...story, storyKey: "bilingual-2", language: "en" })).provider).toBe("eleven");
    } finally {
      await s.close();
    }
  });

  it("one chain for both languages (today's list form) keeps one voice across a bilingual story", async () => {
    const opts = { persona: "anchor_a" as const, storyKey: "bilingual-3" };
    fakes.minimax.failAlways("500");
    expect((await speech.synthesize(ZH, { ...opts, language: "zh" })).provider).toBe("eleven");
    fakes.minimax.failAlways(undefined);
    expect((await speech.synthesize("Markets rose slightly.", { ...opts, language: "en" })).provider).toBe("eleven");
    expect(speech.storyVoice("bilingual-3", "anchor_a", "en")).toBe("eleven/anchor-a-el");
  });
});
