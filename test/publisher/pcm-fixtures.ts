// Real PCM for tests: sine tones of known length, 16-bit LE mono like the voice service stores.

export function sinePcm(opts: { sampleRate: number; ms: number; hz?: number; amplitude?: number }): Buffer {
  const n = Math.round((opts.sampleRate * opts.ms) / 1000);
  const amp = opts.amplitude ?? 0.3;
  const hz = opts.hz ?? 440;
  const buf = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(amp * 32767 * Math.sin((2 * Math.PI * hz * i) / opts.sampleRate)), i * 2);
  return buf;
}

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
}

/** Strongest frequency by a plain DFT scan over candidate frequencies (enough for one tone). */
export function dominantHz(x: Float32Array, rate: number, candidates: number[]): number {
  let best = candidates[0];
  let bestPower = -1;
  for (const f of candidates) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < x.length; i++) {
      re += x[i] * Math.cos((2 * Math.PI * f * i) / rate);
      im -= x[i] * Math.sin((2 * Math.PI * f * i) / rate);
    }
    const p = re * re + im * im;
    if (p > bestPower) [best, bestPower] = [f, p];
  }
  return best;
}
