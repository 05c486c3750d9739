// The local engine's pool of espeak workers: several syntheses really run at once, first chunks
// go ahead of queued continuation chunks, a dead worker is replaced and its text is not lost, and
// the chunker makes first chunks short and recognisable.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ttsProviderSchema } from "@newsroom/platform/config/schema";
import { FIRST_CHUNK_CHARS, firstSentenceFirst, isFirstChunk } from "@newsroom/voice/chunks";
import { durationMs } from "@newsroom/voice/pcm";
import { EspeakPool, type Spoken } from "@newsroom/voice/providers/espeak-pool";
import { createLocalEngine, localEnginePool, stopLocalEngine, warmLocalEngine } from "@newsroom/voice/providers/local";
import { createSynthesizer } from "@newsroom/voice/speech/synthesizer";
import { waitFor } from "../bus/harness.js";
import { voiceConfig } from "./config.js";

// Long enough that a synthesis takes a good while (hundreds of Han characters), so work is still
// running when the test looks at it.
const LONG = "中国人民银行周二宣布维持贷款市场报价利率不变，符合市场预期。官员表示，新规将在征求公众意见后于明年生效。".repeat(4);
const SHORT = "早上好。";
const say = (text: string) => ({ voice: "cmn+f3", text, speed: 175 });

let pool: EspeakPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});
afterAll(() => stopLocalEngine());

describe("the local engine's worker pool", () => {
  it("runs as many syntheses at once as it has workers", async () => {
    pool = new EspeakPool(2);
    await pool.ready();
    const work = Array.from({ length: 4 }, () => pool!.speak(say(LONG)));
    expect(pool.stats()).toMatchObject({ size: 2, busy: 2, queued: 2 });
    const spoken = await Promise.all(work);
    expect(pool.stats()).toMatchObject({ busy: 0, peakBusy: 2, queued: 0 });
    // The first two were handed out together: each one's thread started before the other's finished.
    const [a, b] = spoken.map((s) => s.ran);
    expect(a[0]).toBeLessThan(b[1]);
    expect(b[0]).toBeLessThan(a[1]);
    for (const s of spoken) expect(durationMs(s.audio)).toBeGreaterThan(10_000);
  }, 60_000);

  it("serves a first chunk before continuation chunks queued ahead of it", async () => {
    pool = new EspeakPool(1);
    await pool.ready();
    const order: string[] = [];
    const track = (label: string, p: Promise<Spoken>) => p.then(() => order.push(label));
    const work = [
      track("running", pool.speak(say(LONG))),
      track("rest 1", pool.speak(say(LONG))),
      track("rest 2", pool.speak(say(LONG))),
      track("first", pool.speak(say(SHORT), { urgent: true })),
    ];
    await Promise.all(work);
    expect(order).toEqual(["running", "first", "rest 1", "rest 2"]);
  }, 60_000);

  it("replaces a worker that dies and synthesises its text on the new one", async () => {
    pool = new EspeakPool(1);
    await pool.ready();
    const work = pool.speak(say(LONG));
    await waitFor("the worker to be busy", () => pool!.stats().busy === 1);
    const killed = pool.workers[0];
    const killedAt = performance.timeOrigin + performance.now();
    await killed.terminate();
    const spoken = await work;
    expect(durationMs(spoken.audio)).toBeGreaterThan(10_000);
    // Made by the replacement, after the first worker was gone.
    expect(spoken.ran[0]).toBeGreaterThanOrEqual(killedAt);
    expect(pool.workers[0]).not.toBe(killed);
    expect(pool.stats()).toMatchObject({ size: 1, replaced: 1, busy: 0 });
    expect(durationMs((await pool.speak(say(SHORT))).audio)).toBeGreaterThan(0);
  }, 60_000);

  it("drops a request whose caller gave up while it was queued", async () => {
    pool = new EspeakPool(1);
    await pool.ready();
    const running = pool.speak(say(LONG));
    const caller = new AbortController();
    const queued = pool.speak(say(LONG), { signal: caller.signal });
    expect(pool.stats().queued).toBe(1);
    caller.abort(new Error("listener left"));
    await expect(queued).rejects.toThrow("listener left");
    expect(pool.stats().queued).toBe(0);
    await running;
  }, 60_000);

  it("has as many workers as the config asks for", async () => {
    createLocalEngine("local", ttsProviderSchema.parse({ kind: "local", workers: 3 }));
    await warmLocalEngine();
    expect(localEnginePool()!.stats().size).toBe(3);
    expect(ttsProviderSchema.safeParse({ kind: "openai", base_url: "https://api.openai.com/v1", workers: 2 }).error?.issues[0].message).toMatch(/only kind local has them/);
  }, 60_000);
});

describe("first chunks", () => {
  it("are sent before the next piece is synthesised", async () => {
    const tts = createSynthesizer({ config: voiceConfig(`tts_providers: { local: { kind: local } }\nvoices: { anchor_a: ["local/+f3"], anchor_b: ["local/+m3"] }`) });
    try {
      await tts.warm();
      const before = localEnginePool()!.stats().done;
      const chunks = tts.synthesizeStream(`${SHORT}${LONG}`, { persona: "anchor_a", language: "zh" });
      const first = await chunks.next();
      expect(first.value).toMatchObject({ seq: 0, last: false });
      // Only the first sentence has been made: the listener hears it while the rest is made.
      expect(localEnginePool()!.stats().done - before).toBe(1);
      const rest = [];
      for await (const c of chunks) rest.push(c);
      expect(rest.at(-1)!.last).toBe(true);
      expect(localEnginePool()!.stats().done - before).toBe(1 + rest.length);
    } finally {
      await tts.close();
    }
  }, 60_000);

  it("cuts a long first sentence after a clause mark, and leaves a short one whole", () => {
    const zh = "受此消息影响，亚洲和欧洲股市普遍上涨，科技股领涨，投资者情绪明显好转。第二句。";
    const [first, ...rest] = firstSentenceFirst(zh, 2000, "zh");
    expect(first).toBe("受此消息影响，亚洲和欧洲股市普遍上涨，");
    expect(first.length).toBeLessThanOrEqual(FIRST_CHUNK_CHARS.zh);
    expect(rest).toEqual(["科技股领涨，投资者情绪明显好转。第二句。"]);
    const en = "The central bank kept interest rates unchanged on Tuesday, citing slower inflation and a cooling labour market. Markets rose.";
    expect(firstSentenceFirst(en, 2000, "en")).toEqual(["The central bank kept interest rates unchanged on Tuesday,", "citing slower inflation and a cooling labour market. Markets rose."]);
    expect(firstSentenceFirst("Short first. Then more.", 2000, "en")).toEqual(["Short first.", "Then more."]);
    // No clause mark at all: the sentence stays whole rather than being cut mid-phrase.
    const plain = "今天的早间新闻由我为您播报并且会一直持续到八点半结束为止希望大家喜欢。下一句。";
    expect(firstSentenceFirst(plain, 2000, "zh")[0]).toBe("今天的早间新闻由我为您播报并且会一直持续到八点半结束为止希望大家喜欢。");
  });

  it("tells a first chunk from the packed pieces after it", () => {
    const pieces = firstSentenceFirst("First, a clause. Then a sentence. And another one.", 2000, "en");
    expect(pieces.map((p) => isFirstChunk(p, "en"))).toEqual([true, false]);
    expect(isFirstChunk("第一句。第二句。", "zh")).toBe(false);
    expect(isFirstChunk("只有一句。", "zh")).toBe(true);
  });
});
