import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildEditionAudio, pcm16ToFloat } from "@newsroom/publisher/audio";
import { gatedRmsDbfs, normaliseLevel } from "@newsroom/publisher/levels";
import { resample } from "@newsroom/publisher/resample";
import { dominantHz, rms, sinePcm } from "./pcm-fixtures.js";

const tone = (rate: number, ms: number, hz = 440, amplitude = 0.3) => pcm16ToFloat(sinePcm({ sampleRate: rate, ms, hz, amplitude }));

describe("resample", () => {
  it("keeps a tone's pitch and level when converting between vendor rates", () => {
    for (const [from, to] of [[22050, 24000], [32000, 24000], [16000, 24000], [44100, 24000]]) {
      const out = resample(tone(from, 500), from, to);
      expect(out.length).toBe(Math.round((from * 0.5 * to) / from));
      expect(dominantHz(out.subarray(2000, 10000), to, [220, 330, 440, 550, 880])).toBe(440);
      // Away from the edges the amplitude survives (0.3 peak -> 0.212 RMS).
      expect(rms(out, 1000, out.length - 1000)).toBeCloseTo(0.3 / Math.SQRT2, 2);
    }
  });

  it("removes content above the new Nyquist rate instead of folding it back", () => {
    // 14 kHz exists at 32 kHz but not at 24 kHz (Nyquist 12 kHz): it must vanish, not alias to 10 kHz.
    const out = resample(tone(32000, 300, 14000), 32000, 24000);
    expect(rms(out, 500, out.length - 500)).toBeLessThan(0.01);
  });

  it("refuses nonsense rates with a clear message", () => {
    expect(() => resample(new Float32Array(10), 0, 24000)).toThrow(/positive integers/);
  });
});

describe("levels", () => {
  it("brings a quiet and a loud vendor to the same loudness, peaks under the ceiling", () => {
    const quiet = normaliseLevel(tone(24000, 500, 440, 0.05), 24000);
    const loud = normaliseLevel(tone(24000, 500, 440, 0.9), 24000);
    expect(Math.abs(gatedRmsDbfs(quiet, 24000) - gatedRmsDbfs(loud, 24000))).toBeLessThan(0.5);
    expect(gatedRmsDbfs(loud, 24000)).toBeCloseTo(-20, 0);
    const spiky = new Float32Array(24000).fill(0.01);
    spiky[100] = 1;
    const limited = normaliseLevel(spiky, 24000);
    expect(Math.max(...limited.map(Math.abs))).toBeLessThanOrEqual(Math.pow(10, -1 / 20));
  });

  it("leaves silence silent", () => {
    expect(normaliseLevel(new Float32Array(1000), 24000).every((v) => v === 0)).toBe(true);
  });
});

describe("buildEditionAudio", () => {
  it("encodes one MP3 whose length and part times add up from the sample counts", async () => {
    const audio = await buildEditionAudio([
      { id: "intro", clips: [{ pcm: sinePcm({ sampleRate: 22050, ms: 1000 }), sampleRate: 22050 }] },
      { id: "s1", clips: [{ pcm: sinePcm({ sampleRate: 32000, ms: 1500 }), sampleRate: 32000 }, { pcm: sinePcm({ sampleRate: 24000, ms: 500 }), sampleRate: 24000 }] },
    ]);
    expect(audio.parts.map((p) => p.id)).toEqual(["intro", "s1"]);
    expect(audio.parts[0]).toMatchObject({ startMs: 0, endMs: 1000 });
    expect(audio.parts[1].startMs).toBe(1000 + 700);
    expect(audio.parts[1].clips[1].startMs).toBe(audio.parts[1].clips[0].endMs + 200);
    expect(audio.durationMs).toBe(1000 + 700 + 1500 + 200 + 500);
    expect(audio.gapMs).toBe(900);

    const dir = mkdtempSync(join(tmpdir(), "pub-audio-"));
    writeFileSync(join(dir, "a.mp3"), audio.mp3);
    const probe = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_format", "-show_streams", "-of", "json", join(dir, "a.mp3")], { encoding: "utf8" }));
    expect(probe.streams[0].codec_name).toBe("mp3");
    expect(Number(probe.streams[0].sample_rate)).toBe(24000);
    expect(probe.streams[0].channels).toBe(1);
    expect(Math.abs(Number(probe.format.duration) * 1000 - audio.durationMs)).toBeLessThan(200);
  });
});
