// Two lineup opinions become one by a stated rule.
//
// RULE (Borda merge): with N stories to pick, an opinion gives N points to its first pick,
// N-1 to its second, and so on; unpicked stories get nothing. The N stories with the most
// points form the lineup, in that order. Ties go to the story whose latest source is newer,
// then to the one with more sources, then by story id (so the result never depends on luck).
// A story only one editor picked can therefore still make it, if it ranked high enough.
import { byRecency, resolvePick, type Candidate, type LineupOpinion } from "./candidates.js";

/** The opinion's picks that are real candidates (ids or handles, mapped back), without repeats, at most `n`. */
export function validPicks(opinion: LineupOpinion, candidates: Candidate[], n: number): string[] {
  return [...new Set(opinion.picks.map((p) => resolvePick(p.id, candidates)).filter((id): id is string => !!id))].slice(0, n);
}

/** RULE: a lineup is never short while candidates remain: missing places go to the newest candidates not picked. */
export function fillLineup(lineup: string[], candidates: Candidate[], n: number): string[] {
  const rest = [...candidates].sort(byRecency).filter((c) => !lineup.includes(c.id));
  return [...lineup, ...rest.slice(0, Math.max(0, n - lineup.length)).map((c) => c.id)];
}

export function bordaMerge(n: number, rankings: string[][], candidates: Candidate[]): string[] {
  const points = new Map<string, number>();
  for (const ranking of rankings) ranking.forEach((id, i) => points.set(id, (points.get(id) ?? 0) + (n - i)));
  const byId = new Map(candidates.map((c) => [c.id, c]));
  return [...points.keys()]
    .filter((id) => byId.has(id))
    .sort((a, b) => points.get(b)! - points.get(a)! || byRecency(byId.get(a)!, byId.get(b)!))
    .slice(0, n);
}

export interface PickDifference {
  onlyFirst: string[];
  onlySecond: string[];
}

/** Stories one editor picked and the other did not. */
export function pickDifference(first: string[], second: string[]): PickDifference {
  return { onlyFirst: first.filter((id) => !second.includes(id)), onlySecond: second.filter((id) => !first.includes(id)) };
}
