// Model and TTS usage of an edition, summed by provider and by camp, from the cost ledger.
import type { ModelCall } from "./load.js";

export interface UsageRow {
  kind: "chat" | "tts";
  camp: string;
  /** Absent in the by-camp rows. */
  provider?: string;
  calls: number;
  failed_calls: number;
  input_tokens: number;
  output_tokens: number;
  /** True when some token counts were estimated (the provider did not report them). */
  tokens_estimated: boolean;
  characters: number;
  cost_usd: number;
}

/** An edition's cost by story; `story_id` null: edition-wide work (lineup, intro, outro). */
export interface StoryCost {
  story_id: string | null;
  calls: number;
  cost_usd: number;
}

export interface UsageSummary {
  total_cost_usd: number;
  by_provider: UsageRow[];
  by_camp: UsageRow[];
  by_story: StoryCost[];
}

export function summariseUsage(calls: ModelCall[]): UsageSummary {
  const sum = (keyOf: (c: ModelCall) => string, withProvider: boolean) => {
    const rows = new Map<string, UsageRow>();
    for (const c of calls) {
      const key = keyOf(c);
      let row = rows.get(key);
      if (!row) {
        row = { kind: c.kind, camp: c.camp, ...(withProvider ? { provider: c.provider } : {}), calls: 0, failed_calls: 0, input_tokens: 0, output_tokens: 0, tokens_estimated: false, characters: 0, cost_usd: 0 };
        rows.set(key, row);
      }
      row.calls++;
      if (c.outcome !== "ok" && c.outcome !== "continued") row.failed_calls++;
      row.input_tokens += c.input_tokens;
      row.output_tokens += c.output_tokens;
      row.tokens_estimated ||= c.tokens_estimated;
      row.characters += c.characters;
      row.cost_usd += Number(c.cost_usd);
    }
    return [...rows.values()].sort((a, b) => a.kind.localeCompare(b.kind) || b.cost_usd - a.cost_usd || (a.provider ?? a.camp).localeCompare(b.provider ?? b.camp));
  };
  const total = calls.reduce((t, c) => t + Number(c.cost_usd), 0);
  return {
    total_cost_usd: round6(total),
    by_provider: sum((c) => `${c.kind}\u0000${c.provider}\u0000${c.camp}`, true).map(roundRow),
    by_camp: sum((c) => `${c.kind}\u0000${c.camp}`, false).map(roundRow),
    by_story: byStory(calls),
  };
}

function byStory(calls: ModelCall[]): StoryCost[] {
  const rows = new Map<string | null, StoryCost>();
  for (const c of calls) {
    const row = rows.get(c.story_id) ?? { story_id: c.story_id, calls: 0, cost_usd: 0 };
    row.calls++;
    row.cost_usd += Number(c.cost_usd);
    rows.set(c.story_id, row);
  }
  return [...rows.values()].map((r) => ({ ...r, cost_usd: round6(r.cost_usd) })).sort((a, b) => b.cost_usd - a.cost_usd);
}

function roundRow(r: UsageRow): UsageRow {
  return { ...r, cost_usd: round6(r.cost_usd) };
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
