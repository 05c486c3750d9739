// The chat side of the cost ledger: one model_calls row per attempt (retries, repairs and
// continuations included), and per-edition totals by provider and by camp. The rows are
// written behind by the one ledger of the process (../ledger/ledger.ts), shared with speech.
import { countTokens as countGptTokens } from "gpt-tokenizer";
import { sql } from "kysely";
import type { ChainEntry } from "../config/load.js";
import type { Db } from "../db/connect.js";
import { ledgerFor } from "../ledger/ledger.js";
import type { CallOutcome } from "../db/schema.js";

export interface CallRecord {
  role: string;
  editionId?: string;
  storyId?: string;
  entry: ChainEntry;
  inputTokens: number;
  outputTokens: number;
  /** True when the provider sent no usage and the tokens were counted here. */
  estimated: boolean;
  outputChars: number;
  latencyMs: number;
  outcome: CallOutcome;
  errorClass?: string;
  note?: string;
}

export interface CostTotals {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export interface EditionCosts {
  total: CostTotals;
  byProvider: Record<string, CostTotals>;
  byCamp: Record<string, CostTotals>;
}

/** Tokens of a text by the o200k tokenizer: an estimate for providers that send no usage. */
export function countTokens(text: string): number {
  return text ? countGptTokens(text) : 0;
}

export function costUsd(entry: ChainEntry, inputTokens: number, outputTokens: number): number {
  return tokenCost(entry.config.prices, inputTokens, outputTokens);
}

/** USD for the tokens at a provider's prices (per million input / output tokens). */
export function tokenCost(p: { input_per_mtok: number; output_per_mtok: number }, inputTokens: number, outputTokens: number): number {
  return (inputTokens * p.input_per_mtok + outputTokens * p.output_per_mtok) / 1_000_000;
}

/** The attempt's row, written behind by the process's one ledger (../ledger/ledger.ts). */
export async function recordCall(db: Db, r: CallRecord): Promise<void> {
  ledgerFor(db).record({
    edition_id: r.editionId ?? null,
    story_id: r.storyId ?? null,
    role: r.role,
    kind: "chat",
    provider: r.entry.provider,
    model: r.entry.model,
    camp: r.entry.camp,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    tokens_estimated: r.estimated,
    characters: r.outputChars,
    cost_usd: costUsd(r.entry, r.inputTokens, r.outputTokens),
    latency_ms: Math.round(r.latencyMs),
    outcome: r.outcome,
    error_class: r.errorClass ?? null,
    note: r.note ?? null,
  });
}

/** What the edition has spent so far (every service's calls): the ledger's running total, no query per call. */
export function editionSpend(db: Db, editionId: string): Promise<number> {
  return ledgerFor(db).spent(editionId);
}

export async function editionCosts(db: Db, editionId: string): Promise<EditionCosts> {
  const rows = await db
    .selectFrom("model_calls")
    .select([
      "provider",
      "camp",
      sql<number>`count(*)::int`.as("calls"),
      sql<number>`coalesce(sum(input_tokens), 0)::float8`.as("input_tokens"),
      sql<number>`coalesce(sum(output_tokens), 0)::float8`.as("output_tokens"),
      sql<number>`coalesce(sum(cost_usd), 0)::float8`.as("cost_usd"),
    ])
    .where("edition_id", "=", editionId)
    .groupBy(["provider", "camp"])
    .execute();
  const out: EditionCosts = { total: zero(), byProvider: {}, byCamp: {} };
  for (const r of rows) {
    for (const t of [out.total, (out.byProvider[r.provider] ??= zero()), (out.byCamp[r.camp] ??= zero())]) {
      t.calls += Number(r.calls);
      t.input_tokens += Number(r.input_tokens);
      t.output_tokens += Number(r.output_tokens);
      t.cost_usd += Number(r.cost_usd);
    }
  }
  return out;
}

function zero(): CostTotals {
  return { calls: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
}
