// The order candidates are shown to the editors in. Models favour what they read first
// (position bias), so the order must carry no ranking signal:
// - not best first (newest or most reported): the model would echo our order back as its own;
// - not by story id (a hash): that order is arbitrary but the same for a story wherever it
//   appears, so the same stories would gain from position edition after edition, and both
//   editors would share one bias that the Borda merge then doubles.
// A Fisher-Yates shuffle seeded by the edition id (and the role) is neutral, differs between
// editions and between the two editors, and is the same on every retry or redelivery of one
// edition (the same prompt, the same lineup, something to debug).
import { createHash } from "node:crypto";

/** `items` in a shuffled order that depends only on `seed` and the set of ids, not on the order given. */
export function neutralOrder<T extends { id: string }>(items: readonly T[], seed: string): T[] {
  const out = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const random = mulberry32(createHash("sha256").update(seed).digest().readUInt32LE(0));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A small, well-known seeded PRNG (Tommy Ettinger's Mulberry32): uniform floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
