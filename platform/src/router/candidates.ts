// Which models of a role's chain may answer this call, and in what order: the author's vendor
// never reviews its own work, the preferred camps go first, and when the edition's budget is
// tight the cheapest eligible model goes first.
import type { ChainEntry } from "../config/load.js";
import type { ModelRole } from "../config/schema.js";
import { costUsd } from "./ledger.js";
import { ChainExhaustedError, ReviewIndependenceError, type CallContext } from "./types.js";

export interface Candidates {
  entries: ChainEntry[];
  /** True when only the author's vendor was left and allow_single_camp let it review anyway. */
  selfReview: boolean;
}

export function eligibleCandidates(role: ModelRole, chain: ChainEntry[], ctx: CallContext, allowSingleCamp: boolean): Candidates {
  const avoid = new Set(ctx.avoidVendors ?? []);
  let entries = chain.filter((e) => !avoid.has(e.vendor));
  let selfReview = false;
  if (!entries.length) {
    if (!allowSingleCamp) throw new ReviewIndependenceError(role, [...avoid]);
    entries = chain;
    selfReview = true;
  }
  // Unlike the vendor rule, no setting waives this: a second opinion of the same camp is none.
  const avoidCamps = new Set(ctx.avoidCamps ?? []);
  if (avoidCamps.size) {
    entries = entries.filter((e) => !avoidCamps.has(e.camp));
    if (!entries.length) throw new ChainExhaustedError(role, [{ ref: "-", outcome: "skipped", error: `no model in roles.${role} outside the ${[...avoidCamps].join(", ")} camp` }]);
  }
  return { entries: preferred(entries, ctx), selfReview };
}

/** Stable: preferred camps first, chain order otherwise kept. */
function preferred(entries: ChainEntry[], ctx: CallContext): ChainEntry[] {
  const camps = new Set(ctx.preferCamps ?? []);
  if (!camps.size) return entries;
  return [...entries.filter((e) => camps.has(e.camp)), ...entries.filter((e) => !camps.has(e.camp))];
}

/** What one call to this model is expected to cost. */
export function estimatedCost(entry: ChainEntry, inputTokens: number, maxOutputTokens: number): number {
  return entry.config.kind === "offline" ? 0 : costUsd(entry, inputTokens, maxOutputTokens);
}

/** Cheapest first, keeping preferred camps ahead of the rest (the camp rule outranks the price). */
export function cheapestFirst(entries: ChainEntry[], ctx: CallContext, cost: (e: ChainEntry) => number): ChainEntry[] {
  const camps = new Set(ctx.preferCamps ?? []);
  const rank = (e: ChainEntry) => (camps.size && !camps.has(e.camp) ? 1 : 0);
  return entries
    .map((e, i) => ({ e, i, c: cost(e), r: rank(e) }))
    .sort((a, b) => a.r - b.r || a.c - b.c || a.i - b.i)
    .map((x) => x.e);
}
