// 16-bit mono PCM: what every provider hands back and what segments store.
// Int16Array views assume a little-endian host (x86, ARM), as Node itself does in practice.

export interface Audio {
  pcm: Int16Array;
  sampleRate: number;
}

/** Raw little-endian bytes to samples (an odd trailing byte, a torn sample, is dropped). */
export function pcmFromBytes(bytes: Uint8Array): Int16Array {
  const n = bytes.byteLength >> 1;
  const copy = new Uint8Array(n * 2);
  copy.set(bytes.subarray(0, n * 2));
  return new Int16Array(copy.buffer);
}

export function pcmToBuffer(pcm: Int16Array): Buffer {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

export function concatPcm(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function durationMs(audio: Audio): number {
  return audio.sampleRate > 0 ? Math.round((audio.pcm.length / audio.sampleRate) * 1000) : 0;
}

/** Root mean square level, 0 (silence) to 1 (full scale). */
export function rms(pcm: Int16Array): number {
  if (!pcm.length) return 0;
  let sum = 0;
  for (let i = 0; i < pcm.length; i++) sum += pcm[i] * pcm[i];
  return Math.sqrt(sum / pcm.length) / 32768;
}

export class WavFormatError extends Error {
  override name = "WavFormatError";
}

/** A RIFF/WAVE file with 16-bit PCM samples; stereo is mixed down to mono. */
export function parseWav(bytes: Uint8Array): Audio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.byteLength < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new WavFormatError("not a RIFF/WAVE file");
  let at = 12;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  while (at + 8 <= bytes.byteLength) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt ") {
      const format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
      if (format !== 1 && format !== 0xfffe) throw new WavFormatError(`WAV format ${format} is not PCM`);
    } else if (id === "data") {
      if (bits !== 16 || channels < 1) throw new WavFormatError(`WAV has ${bits}-bit samples in ${channels} channel(s); 16-bit PCM expected`);
      // Streamed WAVs carry a placeholder size (0 or 0xFFFFFFFF): the data runs to the end.
      const end = size === 0 || body + size > bytes.byteLength ? bytes.byteLength : body + size;
      const samples = pcmFromBytes(bytes.subarray(body, end));
      return { pcm: channels === 1 ? samples : downmix(samples, channels), sampleRate };
    }
    at = body + size + (size & 1);
  }
  throw new WavFormatError("WAV has no data chunk");
}

function downmix(samples: Int16Array, channels: number): Int16Array {
  const out = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[i * channels + c];
    out[i] = Math.round(sum / channels);
  }
  return out;
}
