// The speech side of the cost ledger: one model_calls row (kind "tts") per TTS request, with its
// characters, cost (characters x price per million), latency and outcome, written behind by
// the same ledger as the chat rows (./ledger.ts).
import type { Db } from "../db/connect.js";
import type { CallOutcome } from "../db/schema.js";
import { ledgerFor } from "./ledger.js";

export interface SpeechCall {
  editionId?: string;
  storyId?: string;
  persona: string;
  provider: string;
  model: string;
  camp: string;
  voice: string;
  characters: number;
  pricePerMchar: number;
  latencyMs: number;
  outcome: CallOutcome;
  errorClass?: string;
  note?: string;
}

/** Vendors bill the characters of requests that produced audio (even audio we then reject). */
export function speechCost(characters: number, pricePerMchar: number): number {
  return (characters * pricePerMchar) / 1e6;
}

export function recordSpeechCall(db: Db | undefined, call: SpeechCall): void {
  if (!db) return;
  const billed = call.outcome === "ok" || call.outcome === "truncated" || call.outcome === "invalid";
  ledgerFor(db).record({
    edition_id: call.editionId ?? null,
    story_id: call.storyId ?? null,
    role: call.persona,
    kind: "tts",
    provider: call.provider,
    model: call.model,
    camp: call.camp,
    input_tokens: 0,
    output_tokens: 0,
    tokens_estimated: false,
    characters: call.characters,
    cost_usd: billed ? speechCost(call.characters, call.pricePerMchar) : 0,
    latency_ms: Math.round(call.latencyMs),
    outcome: call.outcome,
    error_class: call.errorClass ?? null,
    note: [`voice ${call.voice}`, call.note].filter(Boolean).join("; "),
  });
}
