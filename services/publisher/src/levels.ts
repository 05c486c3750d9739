// Evens out loudness across TTS vendors: each segment is brought to one gated RMS level
// (silence between words does not count), then a soft limiter keeps peaks under a ceiling.

export interface LevelOptions {
  /** Target loudness of speech, dBFS RMS over the frames that are not silence. */
  targetDbfs?: number;
  /** No sample leaves above this level. */
  ceilingDbfs?: number;
  /** Quiet recordings are not boosted beyond this (it would only raise their noise). */
  maxGainDb?: number;
}

const FRAME = 0.02; // seconds per RMS frame
const GATE_DBFS = -50; // frames quieter than this are pauses, not speech

export function dbToGain(db: number): number {
  return Math.pow(10, db / 20);
}

/** RMS (dBFS) over the frames that carry sound; -Infinity for silence. */
export function gatedRmsDbfs(samples: Float32Array, sampleRate: number): number {
  const frame = Math.max(1, Math.round(sampleRate * FRAME));
  const gate = dbToGain(GATE_DBFS) ** 2;
  let sum = 0;
  let count = 0;
  for (let start = 0; start < samples.length; start += frame) {
    const end = Math.min(samples.length, start + frame);
    let s = 0;
    for (let i = start; i < end; i++) s += samples[i] * samples[i];
    if (s / (end - start) < gate) continue;
    sum += s;
    count += end - start;
  }
  return count === 0 ? -Infinity : 10 * Math.log10(sum / count);
}

/** Returns a new array at the target level with peaks softly limited below the ceiling. */
export function normaliseLevel(samples: Float32Array, sampleRate: number, opts: LevelOptions = {}): Float32Array {
  const target = opts.targetDbfs ?? -20;
  const ceiling = dbToGain(opts.ceilingDbfs ?? -1);
  const maxGainDb = opts.maxGainDb ?? 24;
  const level = gatedRmsDbfs(samples, sampleRate);
  const gain = Number.isFinite(level) ? dbToGain(Math.min(target - level, maxGainDb)) : 1;
  const knee = ceiling * 0.8;
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = limit(samples[i] * gain, knee, ceiling);
  return out;
}

/** Linear below the knee; above it a tanh curve that approaches the ceiling and never crosses it. */
function limit(x: number, knee: number, ceiling: number): number {
  const a = Math.abs(x);
  if (a <= knee) return x;
  const room = ceiling - knee;
  return Math.sign(x) * (knee + room * Math.tanh((a - knee) / room));
}
