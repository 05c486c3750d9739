// Expected speaking time, the cut-off and silence checks, request splitting, WAV reading,
// and the local engine's measured pace (so its rate in SPEECH_RATES stays honest).
import { afterAll, describe, expect, it } from "vitest";
import { firstSentenceFirst, splitForSpeech } from "@newsroom/voice/chunks";
import { checkAudio, expectedMs, SPEECH_RATES } from "@newsroom/voice/completeness";
import { normalizeForSpeech } from "@newsroom/voice/normalize";
import { durationMs, parseWav, pcmFromBytes, WavFormatError } from "@newsroom/voice/pcm";
import { createLocalEngine, espeakVoice, stopLocalEngine } from "@newsroom/voice/providers/local";
import { fakeSpeech, wavOf } from "../fakes/tts-servers.js";

const ZH = "中国人民银行周二宣布维持贷款市场报价利率不变，符合市场预期。";
const EN = "The central bank kept interest rates unchanged on Tuesday, citing slower inflation and a cooling labour market.";
const audio = (text: string, fault?: "truncate" | "silence") => ({ pcm: pcmFromBytes(fakeSpeech(text, "v", 24_000, fault)), sampleRate: 24_000 });

describe("expected speaking time", () => {
  it("counts Han characters per second and English words per minute", () => {
    const rate = { zhCharsPerSec: 4, enWordsPerMin: 120 };
    expect(expectedMs("一二三四五六七八", rate)).toBe(2000);
    expect(expectedMs("one two three four", rate)).toBe(2000);
    expect(expectedMs("他说 hello world 你好", rate)).toBe(2000);
    expect(expectedMs("", rate)).toBe(0);
  });
});

describe("checkAudio", () => {
  it("accepts whole speech", () => {
    const v = checkAudio(audio(ZH), ZH, "minimax");
    expect(v.ok).toBe(true);
  });
  it("calls audio far too short for its text cut off", () => {
    const v = checkAudio(audio(ZH, "truncate"), ZH, "minimax");
    expect(v).toMatchObject({ ok: false, reason: "cut_off" });
    expect(v.ok || v.message).toMatch(/^cut off: /);
  });
  it("rejects silence and emptiness", () => {
    expect(checkAudio(audio(EN, "silence"), EN, "openai")).toMatchObject({ ok: false, reason: "silent" });
    expect(checkAudio({ pcm: new Int16Array(0), sampleRate: 24_000 }, EN, "openai")).toMatchObject({ ok: false, reason: "empty" });
  });
});

describe("splitting text into requests", () => {
  it("packs whole sentences up to the limit", () => {
    expect(splitForSpeech("One. Two two. Three three three.", 18, "en")).toEqual(["One. Two two.", "Three three three."]);
    expect(splitForSpeech("第一句。第二句！第三句？", 8, "zh")).toEqual(["第一句。第二句！", "第三句？"]);
  });
  it("cuts a sentence longer than the limit at a clause mark, then at a space", () => {
    const pieces = splitForSpeech("这是很长的一句话，中间有逗号，还有更多的内容。", 10, "zh");
    expect(pieces.every((p) => p.length <= 10)).toBe(true);
    expect(pieces.join("")).toBe("这是很长的一句话，中间有逗号，还有更多的内容。");
    expect(pieces[0]).toBe("这是很长的一句话，");
    expect(splitForSpeech("alpha beta gamma delta", 12, "en")).toEqual(["alpha beta", "gamma delta"]);
  });
  it("puts the first sentence on its own for streaming", () => {
    expect(firstSentenceFirst("First one. Second one. Third one.", 100, "en")).toEqual(["First one.", "Second one. Third one."]);
    expect(firstSentenceFirst("Only one.", 100, "en")).toEqual(["Only one."]);
  });
});

describe("WAV", () => {
  it("reads 16-bit mono and mixes stereo down", () => {
    const mono = parseWav(wavOf(Buffer.from(new Int16Array([1, -2, 300]).buffer), 16_000));
    expect(mono.sampleRate).toBe(16_000);
    expect([...mono.pcm]).toEqual([1, -2, 300]);
    const stereoBytes = wavOf(Buffer.from(new Int16Array([100, 300, -100, -300]).buffer), 8_000);
    stereoBytes.writeUInt16LE(2, 22); // channels
    expect([...parseWav(stereoBytes).pcm]).toEqual([200, -200]);
    expect(() => parseWav(Buffer.from("ID3 not a wav"))).toThrow(WavFormatError);
  });
});

describe("the local engine's pace", () => {
  afterAll(() => stopLocalEngine());
  it("chooses the espeak voice by language and keeps the persona's variant", () => {
    expect(espeakVoice("cmn", "en")).toBe("en-us");
    expect(espeakVoice("+f3", "zh")).toBe("cmn+f3");
    expect(espeakVoice("en-gb+m3", "en")).toBe("en-gb+m3");
  });
  it("speaks at the rate SPEECH_RATES.local says (within a generous band)", async () => {
    const engine = createLocalEngine("local", { kind: "local", timeout_ms: 30_000, max_retries: 0, price_per_mchar: 0 });
    for (const [text, language] of [
      [ZH, "zh"],
      [EN, "en"],
    ] as const) {
      const spoken = normalizeForSpeech(text, language);
      const got = await engine.synthesize({ text: spoken, voice: "+f3", language, signal: AbortSignal.timeout(30_000) });
      const ratio = durationMs(got) / expectedMs(spoken, SPEECH_RATES.local);
      expect(ratio).toBeGreaterThan(0.8);
      expect(ratio).toBeLessThan(1.4);
      expect(checkAudio(got, spoken, "local").ok).toBe(true);
    }
  }, 60_000);
});
