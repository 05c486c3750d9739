// The Xing/Info frame that LAME puts in front of an MP3 and lamejs's Mp3Encoder leaves out. It
// tells a player the frame and byte counts and a seek table (so it knows the duration and seeks
// to the right byte without reading the whole file) and, in the LAME tag, the encoder delay and
// padding. Players that read the LAME tag (FFmpeg and so Chromium, Firefox, Apple's AVFoundation)
// drop the delay plus their own decoder delay at the start and the padding at the end, so the
// decoded audio starts with sample 0 of the PCM we encoded: chapter and caption times are PCM
// times and need no shift. Layout as LAME's VbrTag.c writes it ("Mp3 Info Tag", revision 0).

/** Samples LAME's encoder puts before the first input sample (ENCDELAY). */
export const LAME_ENCODER_DELAY = 576;

const BITRATES = {
  mpeg1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  mpeg2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
} as const;
/** By the header's version bits: 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5 (1 is reserved). */
const SAMPLE_RATES: Record<number, readonly number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

export interface FrameHeader {
  /** Header version bits: 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5. */
  version: number;
  bitrateKbps: number;
  sampleRate: number;
  mono: boolean;
  /** Whole frame, header included, in bytes. */
  size: number;
  samplesPerFrame: number;
  /** Layer III side information after the 4-byte header (the Xing tag starts after it). */
  sideInfoBytes: number;
}

/** The MPEG Layer III frame header at `at`, or null when there is none (free format is not read). */
export function readFrameHeader(b: Uint8Array, at: number): FrameHeader | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return null;
  const version = (b[at + 1] >> 3) & 3;
  const layer = (b[at + 1] >> 1) & 3;
  const bitrateIndex = b[at + 2] >> 4;
  const rateIndex = (b[at + 2] >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const mpeg1 = version === 3;
  const bitrateKbps = (mpeg1 ? BITRATES.mpeg1 : BITRATES.mpeg2)[bitrateIndex];
  const sampleRate = SAMPLE_RATES[version][rateIndex];
  const mono = b[at + 3] >> 6 === 3;
  const padding = (b[at + 2] >> 1) & 1;
  return {
    version,
    bitrateKbps,
    sampleRate,
    mono,
    size: frameBytes(mpeg1, bitrateKbps, sampleRate) + padding,
    samplesPerFrame: mpeg1 ? 1152 : 576,
    sideInfoBytes: mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17,
  };
}

function frameBytes(mpeg1: boolean, kbps: number, rate: number): number {
  return Math.floor(((mpeg1 ? 144_000 : 72_000) * kbps) / rate);
}

export interface FrameScan {
  first: FrameHeader;
  /** Byte offset of every frame. */
  offsets: number[];
  /** Every frame has the first frame's bitrate. */
  constantBitrate: boolean;
}

/** Walks the frames of a bare MP3 stream (no ID3 tag); anything but back-to-back frames is an error. */
export function scanFrames(mp3: Uint8Array): FrameScan {
  const first = readFrameHeader(mp3, 0);
  if (!first) throw new Error("not an MP3 stream: no Layer III frame header at its start");
  const offsets: number[] = [];
  let constantBitrate = true;
  let at = 0;
  while (at < mp3.length) {
    const h = readFrameHeader(mp3, at);
    if (!h || h.sampleRate !== first.sampleRate || h.version !== first.version)
      throw new Error(`MP3 stream broken at byte ${at} of ${mp3.length}: expected a frame header like the first one`);
    if (h.bitrateKbps !== first.bitrateKbps) constantBitrate = false;
    offsets.push(at);
    at += h.size;
  }
  if (at !== mp3.length) throw new Error(`MP3 stream ends inside a frame (${at - mp3.length} bytes short)`);
  return { first, offsets, constantBitrate };
}

export interface InfoFrameOptions {
  /** Samples that were encoded (the length a player should play), at `sampleRate`. */
  samples: number;
  /** Rate of the PCM handed to the encoder; LAME encodes low bitrates at a lower rate. */
  sampleRate: number;
  /** Nine characters naming the encoder; players trim delay and padding only for LAME's ("LAME3.98r"). */
  encoder: string;
  /** Encoder delay in samples (LAME's is 576). */
  delay?: number;
}

const XING_FLAGS = 0x0f; // frames, bytes, TOC and quality fields present
const XING_FIELDS = 4 + 4 + 4 + 4 + 100 + 4; // id, flags, frames, bytes, TOC, quality
const LAME_FIELDS = 36; // version(9) rev/method(1) lowpass(1) gains(8) flags(1) bitrate(1) delay/padding(3) misc(1) mp3gain(1) preset(2) length(4) music CRC(2) tag CRC(2)

/**
 * The stream with an Info (constant bitrate) or Xing (variable) frame in front. Its frame count is
 * the audio frames after it; its byte count and the LAME tag's music length include it, as LAME's do.
 */
export function withInfoFrame(mp3: Uint8Array, opts: InfoFrameOptions): Buffer {
  if (opts.encoder.length !== 9) throw new RangeError(`encoder name must be 9 characters (got "${opts.encoder}")`);
  const scan = scanFrames(mp3);
  const { first } = scan;
  const frames = scan.offsets.length;
  const delay = opts.delay ?? LAME_ENCODER_DELAY;
  // The decoder plays frames * samplesPerFrame; what is not delay or our samples is padding.
  const samples = Math.round((opts.samples * first.sampleRate) / opts.sampleRate);
  const padding = frames * first.samplesPerFrame - delay - samples;
  if (padding < 0 || delay > 0xfff || padding > 0xfff)
    throw new RangeError(`encoder delay ${delay} and padding ${padding} do not fit the LAME tag (${frames} frames for ${samples} samples)`);

  // The tag frame has the stream's bitrate when the tag fits (players expect a CBR file's frames
  // to be alike), else the smallest bitrate it fits in.
  const mpeg1 = first.version === 3;
  const need = 4 + first.sideInfoBytes + XING_FIELDS + LAME_FIELDS;
  const rates = mpeg1 ? BITRATES.mpeg1 : BITRATES.mpeg2;
  const index =
    frameBytes(mpeg1, first.bitrateKbps, first.sampleRate) >= need
      ? rates.indexOf(first.bitrateKbps as never)
      : rates.findIndex((kbps, i) => i > 0 && frameBytes(mpeg1, kbps, first.sampleRate) >= need);
  if (index < 1) throw new RangeError(`no bitrate holds the Info tag at ${first.sampleRate} Hz`);
  const size = frameBytes(mpeg1, rates[index], first.sampleRate);
  const total = size + mp3.length;

  const tag = Buffer.alloc(size); // zero side info: a decoder that does not know the tag plays one silent frame
  tag[0] = 0xff;
  tag[1] = (mp3[1] & 0xfe) | 0x01; // sync, version and layer of the stream; no CRC
  tag[2] = (index << 4) | (mp3[2] & 0x0d); // bitrate, sample rate, private bit; no padding
  tag[3] = mp3[3]; // channel mode, copyright, original, emphasis
  let at = 4 + first.sideInfoBytes;
  at += tag.write(scan.constantBitrate ? "Info" : "Xing", at, "latin1");
  at = tag.writeUInt32BE(XING_FLAGS, at);
  at = tag.writeUInt32BE(frames, at);
  at = tag.writeUInt32BE(total, at);
  // Seek table: at i% of the duration, the byte at toc[i]/256 of the stream. Like LAME's, it measures
  // the audio frames alone, so toc[0] is 0 and a seek lands at or a little before its frame, never after.
  for (let i = 0; i < 100; i++) tag[at + i] = Math.min(255, Math.floor((256 * scan.offsets[Math.floor((i * frames) / 100)]) / mp3.length));
  at += 100;
  at = tag.writeUInt32BE(0, at); // quality indicator: not known

  // The LAME tag.
  at += tag.write(opts.encoder, at, "latin1");
  at = tag.writeUInt8(scan.constantBitrate ? 1 : 0, at); // revision 0; method: 1 constant bitrate, 0 unknown
  at = tag.writeUInt8(0, at); // lowpass: not known
  at += 4 + 2 + 2; // peak and replay gains: not measured
  at = tag.writeUInt8(0, at); // encoding flags, ATH type
  at = tag.writeUInt8(Math.min(255, first.bitrateKbps), at);
  at = tag.writeUIntBE((delay << 12) | padding, at, 3);
  const sourceRate = first.sampleRate <= 32000 ? 0 : first.sampleRate === 44100 ? 1 : first.sampleRate === 48000 ? 2 : 3;
  at = tag.writeUInt8((sourceRate << 6) | ((first.mono ? 0 : 1) << 2), at); // source rate, stereo mode (0 mono), noise shaping
  at = tag.writeUInt8(0, at); // MP3Gain: none
  at = tag.writeUInt16BE(0, at); // surround, preset: none
  at = tag.writeUInt32BE(total, at); // music length, this frame included
  at = tag.writeUInt16BE(crc16(mp3), at); // CRC of the audio frames
  tag.writeUInt16BE(crc16(tag.subarray(0, at)), at); // CRC of this frame up to here
  return Buffer.concat([tag, mp3]);
}

let CRC_TABLE: Uint16Array | undefined;

/** CRC-16/ARC (reflected polynomial 0x8005, start 0), as LAME's tag uses. */
export function crc16(data: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint16Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
      CRC_TABLE[n] = c;
    }
  }
  let crc = 0;
  for (let i = 0; i < data.length; i++) crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ data[i]) & 0xff];
  return crc;
}
