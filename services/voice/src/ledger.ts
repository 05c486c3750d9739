// One model_calls row per TTS request: characters, cost (characters x price per million),
// latency and outcome. Written outside any handler transaction so it survives a rollback.
import type { Db } from "@newsroom/platform/db/connect";
import type { CallOutcome } from "@newsroom/platform/db/schema";
import type { Logger } from "@newsroom/platform/log";
import { TTS_CAMP, type TtsEngine } from "./providers/types.js";

export interface TtsCall {
  editionId?: string;
  storyId?: string;
  persona: string;
  engine: TtsEngine;
  voice: string;
  characters: number;
  pricePerMchar: number;
  latencyMs: number;
  outcome: CallOutcome;
  errorClass?: string;
  note?: string;
}

/** Vendors bill the characters of requests that produced audio (even audio we then reject). */
export function ttsCost(characters: number, pricePerMchar: number): number {
  return (characters * pricePerMchar) / 1e6;
}

export async function recordTtsCall(db: Db | undefined, call: TtsCall, log?: Logger): Promise<void> {
  if (!db) return;
  const billed = call.outcome === "ok" || call.outcome === "truncated" || call.outcome === "invalid";
  try {
    await db
      .insertInto("model_calls")
      .values({
        edition_id: call.editionId ?? null,
        story_id: call.storyId ?? null,
        role: call.persona,
        kind: "tts",
        provider: call.engine.name,
        model: call.engine.model,
        camp: TTS_CAMP[call.engine.kind],
        input_tokens: 0,
        output_tokens: 0,
        tokens_estimated: false,
        characters: call.characters,
        cost_usd: billed ? ttsCost(call.characters, call.pricePerMchar) : 0,
        latency_ms: Math.round(call.latencyMs),
        outcome: call.outcome,
        error_class: call.errorClass ?? null,
        note: [`voice ${call.voice}`, call.note].filter(Boolean).join("; "),
      })
      .execute();
  } catch (err) {
    log?.warn("could not write the TTS ledger row", { provider: call.engine.name, error: (err as Error).message });
  }
}
