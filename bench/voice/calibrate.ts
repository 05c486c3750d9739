// Measures the local engine's speaking pace, the figures behind SPEECH_RATES.local in
// services/voice/src/completeness.ts: Han characters per second (cmn) and words per minute
// (en-us), pauses included, over a few news sentences.
//
//   npx tsx bench/voice/calibrate.ts
import { SPEECH_RATES } from "@newsroom/voice/completeness";
import { normalizeForSpeech } from "@newsroom/voice/normalize";
import { durationMs } from "@newsroom/voice/pcm";
import { createLocalEngine, stopLocalEngine } from "@newsroom/voice/providers/local";

const ZH = [
  "中国人民银行周二宣布维持贷款市场报价利率不变，符合市场预期。",
  "官员表示，新规将在征求公众意见后于明年生效。",
  "受此消息影响，亚洲和欧洲股市普遍上涨，科技股领涨。",
  "气象部门预计，本周末北方地区将迎来大范围降温。",
];
const EN = [
  "The central bank kept interest rates unchanged on Tuesday, citing slower inflation and a cooling labour market.",
  "Officials said the new rules would take effect next year after a period of public consultation.",
  "Markets rallied after the announcement, with technology shares leading the gains across Asia and Europe.",
  "Forecasters expect a sharp drop in temperatures across the north this weekend.",
];

const engine = createLocalEngine("local", { kind: "local", timeout_ms: 30_000, max_retries: 0, price_per_mchar: 0 });
let han = 0;
let zhMs = 0;
for (const text of ZH) {
  const spoken = normalizeForSpeech(text, "zh");
  const audio = await engine.synthesize({ text: spoken, voice: "+f3", language: "zh", signal: AbortSignal.timeout(30_000) });
  han += spoken.match(/\p{Script=Han}/gu)?.length ?? 0;
  zhMs += durationMs(audio);
}
let words = 0;
let enMs = 0;
for (const text of EN) {
  const spoken = normalizeForSpeech(text, "en");
  const audio = await engine.synthesize({ text: spoken, voice: "+f3", language: "en", signal: AbortSignal.timeout(30_000) });
  words += spoken.split(/\s+/).filter(Boolean).length;
  enMs += durationMs(audio);
}
await stopLocalEngine();
console.log(`cmn:   ${(han / (zhMs / 1000)).toFixed(2)} Han characters/s   (SPEECH_RATES.local: ${SPEECH_RATES.local.zhCharsPerSec})`);
console.log(`en-us: ${(words / (enMs / 60_000)).toFixed(0)} words/min           (SPEECH_RATES.local: ${SPEECH_RATES.local.enWordsPerMin})`);
