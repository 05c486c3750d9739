import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildEditionAudio, pcm16ToFloat } from "@newsroom/publisher/audio";
import { gatedRmsDbfs, normaliseLevel } from "@newsroom/publisher/levels";
import { LAME_ENCODER_DELAY, withInfoFrame } from "@newsroom/publisher/mp3-info-frame";
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

/** Debian's python3, where python3-mutagen is installed (not whatever python3 is first on PATH). */
const DEBIAN_PYTHON = "/usr/bin/python3";

/** What mutagen (a tag library players' tools use) reads from the Xing/Info frame and LAME tag, and the CRCs it does not check. */
const MUTAGEN_READ = String.raw`
import json, sys
from mutagen.mp3 import MP3
from mutagen.mp3._util import XingHeader

def crc16(data):  # CRC-16/ARC, bit by bit
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc

path, tag_frame_bytes = sys.argv[1], int(sys.argv[2])
mp3 = MP3(path)
raw = open(path, "rb").read()
b1, b3 = raw[1], raw[3]
side = (17 if b3 >> 6 == 3 else 32) if (b1 >> 3) & 3 == 3 else (9 if b3 >> 6 == 3 else 17)
with open(path, "rb") as f:
    f.seek(4 + side)
    xing = XingHeader(f)
lame = xing.lame_header
tag_end = 4 + side + 120 + 36
print(json.dumps({
    "length": mp3.info.length, "sketchy": mp3.info.sketchy, "mode": str(mp3.info.bitrate_mode),
    "encoder": mp3.info.encoder_info, "is_info": xing.is_info, "frames": xing.frames, "bytes": xing.bytes,
    "toc": xing.toc, "delay": lame.encoder_delay_start, "padding": lame.encoder_padding_end,
    "music_length": lame.music_length, "music_crc_ok": lame.music_crc == crc16(raw[tag_frame_bytes:]),
    "tag_crc_ok": lame.header_crc == crc16(raw[:tag_end - 2]),
}))
`;

describe("the Info frame", () => {
  const encode = async (sampleRate: number, kbps: number) => {
    const audio = await buildEditionAudio(
      [
        { id: "intro", clips: [{ pcm: sinePcm({ sampleRate: 22050, ms: 1000 }), sampleRate: 22050 }] },
        { id: "s1", clips: [{ pcm: sinePcm({ sampleRate: 32000, ms: 2300 }), sampleRate: 32000 }] },
      ],
      { sampleRate, kbps },
    );
    const path = join(mkdtempSync(join(tmpdir(), "pub-info-")), "a.mp3");
    writeFileSync(path, audio.mp3);
    return { audio, path, samples: Math.round((audio.durationMs * sampleRate) / 1000) };
  };

  // 24 kHz mono is MPEG-2 (576 samples a frame, 9 bytes of side info); 44.1 kHz is MPEG-1 (1152, 17) with padded frames.
  for (const [sampleRate, kbps, frameBytes] of [[24000, 64, 192], [44100, 128, 417]] as const) {
    it(`at ${sampleRate} Hz: ffprobe, FFmpeg and mutagen read the exact length; frame count, bytes, TOC, delay and padding are right`, async () => {
      const { audio, path, samples } = await encode(sampleRate, kbps);
      // ffprobe knows the length from the header instead of estimating it from the bitrate.
      const probe = spawnSync("ffprobe", ["-v", "warning", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "json", path], { encoding: "utf8" });
      expect(probe.stderr).not.toMatch(/estimat/i);
      // FFmpeg reads the Info frame as a header, not a packet: what it counts are the audio frames.
      const audioFrames = Number(JSON.parse(probe.stdout).streams[0].nb_read_packets);
      // The decoder drops the delay and padding from the LAME tag: exactly the samples we encoded come out.
      const decoded = execFileSync("ffmpeg", ["-v", "error", "-i", path, "-f", "s16le", "-ac", "1", "-"], { maxBuffer: 64 << 20 });
      expect(decoded.length / 2).toBe(samples);

      const m = JSON.parse(execFileSync(DEBIAN_PYTHON, ["-c", MUTAGEN_READ, path, String(frameBytes)], { encoding: "utf8" }));
      expect(m).toMatchObject({ is_info: true, mode: "BitrateMode.CBR", sketchy: false, encoder: expect.stringMatching(/^LAME 3\.98/), delay: LAME_ENCODER_DELAY });
      expect(m.frames).toBe(audioFrames);
      expect(m.bytes).toBe(audio.mp3.length);
      expect(m.music_length).toBe(audio.mp3.length);
      expect(m.tag_crc_ok).toBe(true);
      expect(m.music_crc_ok).toBe(true);
      const spf = sampleRate > 24000 ? 1152 : 576;
      expect(m.delay + samples + m.padding).toBe(m.frames * spf);
      expect(m.length).toBeCloseTo(samples / sampleRate, 6);
      // Seek table: starts at the top, never goes back, and halfway through a CBR stream is halfway through its bytes.
      expect(m.toc[0]).toBe(0);
      expect(m.toc.every((v: number, i: number) => i === 0 || v >= m.toc[i - 1])).toBe(true);
      expect(Math.abs(m.toc[50] - 128)).toBeLessThanOrEqual(2);
    }, 30_000);
  }

  it("refuses a stream that is not MP3 frames, saying where it broke", () => {
    expect(() => withInfoFrame(Buffer.from("not an mp3 at all"), { samples: 10, sampleRate: 24000, encoder: "LAME3.98r" })).toThrow(/no Layer III frame header/);
  });
});
