// The local voice alone, the voice service's leak found by the soak in isolation: the same two
// sentences spoken ROUNDS x 100 times through the local engine (the espeak worker thread), the
// process's RSS after each round. A leak in the worker shows as RSS that keeps climbing.
//
//   npx tsx bench/soak/espeak-worker.ts      ROUNDS (default 10)
import { createLocalEngine, stopLocalEngine } from "@newsroom/voice/providers/local";
import { rssMb } from "./soak.js";

const rounds = Number(process.env.ROUNDS ?? 10);
const engine = createLocalEngine("local", { kind: "local" } as Parameters<typeof createLocalEngine>[1]);
const text = "The council approved the new budget on Tuesday, raising spending on schools by four percent. Critics said the plan ignores transport.";
const rss: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < 100; i++)
    await engine.synthesize({ text, voice: i % 2 ? "en-us+f3" : "cmn+m3", language: i % 2 ? "en" : "zh", signal: new AbortController().signal });
  rss.push(rssMb(process.pid));
  console.log(`round ${round + 1}: ${rss[round].toFixed(0)} MB`);
}
await stopLocalEngine();
console.log(`RSS after round 3 → last: ${rss[Math.min(2, rss.length - 1)].toFixed(0)} → ${rss[rss.length - 1].toFixed(0)} MB`);
