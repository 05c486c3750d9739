// Sample-rate conversion for speech: windowed-sinc interpolation (Blackman window), low-pass
// at the lower of the two Nyquist rates so downsampling does not alias. TTS vendors hand us
// 16 k, 22.05 k, 24 k, 32 k or 44.1 k audio; the edition has one rate.

const ZERO_CROSSINGS = 16;
/** Keep a little below Nyquist so the window's transition band does not fold back. */
const CUTOFF = 0.94;

/** Resamples mono float samples; the output has exactly round(n * to / from) samples. */
export function resample(input: Float32Array, from: number, to: number): Float32Array {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from <= 0 || to <= 0)
    throw new RangeError(`sample rates must be positive integers (got ${from} -> ${to})`);
  if (from === to) return input.slice();
  const outLength = Math.round((input.length * to) / from);
  const out = new Float32Array(outLength);
  // Cutoff as a fraction of the input's Nyquist rate; the kernel widens when downsampling.
  const fc = Math.min(1, to / from) * CUTOFF;
  const half = Math.ceil(ZERO_CROSSINGS / fc);
  const g = gcd(from, to);
  const phases = to / g; // output samples fall on `phases` distinct fractional input positions
  const step = from / g;
  const table = phases <= 4096 ? kernelTable(phases, half, fc) : null;
  for (let j = 0; j < outLength; j++) {
    const num = j * step; // input position = num / phases
    const base = Math.floor(num / phases);
    const phase = num - base * phases;
    let acc = 0;
    for (let k = -half + 1; k <= half; k++) {
      const idx = base + k;
      if (idx < 0 || idx >= input.length) continue;
      const w = table ? table[phase * 2 * half + (k + half - 1)] : kernel(k - phase / phases, half, fc);
      acc += input[idx] * w;
    }
    out[j] = acc;
  }
  return out;
}

function kernelTable(phases: number, half: number, fc: number): Float32Array {
  const t = new Float32Array(phases * 2 * half);
  for (let p = 0; p < phases; p++)
    for (let k = -half + 1; k <= half; k++) t[p * 2 * half + (k + half - 1)] = kernel(k - p / phases, half, fc);
  return t;
}

/** Low-pass sinc at `fc` (fraction of input Nyquist), Blackman-windowed over ±half input samples. */
function kernel(x: number, half: number, fc: number): number {
  if (Math.abs(x) >= half) return 0;
  const sinc = x === 0 ? 1 : Math.sin(Math.PI * fc * x) / (Math.PI * fc * x);
  const n = (x + half) / (2 * half); // 0..1 across the window
  const window = 0.42 - 0.5 * Math.cos(2 * Math.PI * n) + 0.08 * Math.cos(4 * Math.PI * n);
  return fc * sinc * window;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
