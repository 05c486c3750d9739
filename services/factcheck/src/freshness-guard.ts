// The guard on "old news" and "fake": a fresh story is never dropped on a model's say-so.
//
// RULE: "fresh" stands. "old_news" or "fake" is OVERRULED (the story stays, the verdict is
// stored with overruled_reason and disagreement=true) when
//   - it cites no evidence, or none of the cited source ids exists among this story's or this
//     edition's sources;
//   - "old_news": none of the cited existing sources is dated before the edition's window
//     (editions.now - window_hours) and before this story's first source; i.e. the source
//     timestamps contradict it;
//   - "fake": no cited existing source comes with a note saying what it contradicts.
// When every source of the story is inside the window (a fresh story by its timestamps),
// stricter evidence is required (rule (a) of "no single camp drops a fresh story"):
//   - the story's own sources are never evidence against it;
//   - "old_news": the cited source (another story's) must be dated before the window opened;
//   - "fake": the cited source must name the contradicted sentence, and that sentence must be
//     in the script or the story's sources.
// A verdict that survives is "upheld"; for a fresh story it still needs a second camp to agree
// and an arbiter of another camp (reviewers.ts, handlers/script-drafted.ts).
import { isSupported, supportOf } from "@newsroom/platform/text/support";
import type { FreshnessVerdict } from "./roles/freshness-judge.js";

export interface DatedId {
  id: string;
  publishedAt: Date;
}

export interface GuardFacts {
  now: Date;
  windowHours: number;
  storySources: DatedId[];
  editionSources: DatedId[];
  /** Sentences of the script and of the story's sources: what a "fake" verdict may say is contradicted. */
  storySentences?: string[];
}

export interface Guarded {
  upheld: boolean;
  overruledReason: string | null;
  /** The cited evidence that exists, with the dates from the database (not the model's). */
  evidence: { sourceId: string; publishedAt: string; note: string; contradicts?: string }[];
}

/** True when every source of the story is dated inside the edition's window. */
export function freshByTimestamps(facts: Pick<GuardFacts, "now" | "windowHours" | "storySources">): boolean {
  const start = facts.now.getTime() - facts.windowHours * 3_600_000;
  return facts.storySources.length > 0 && facts.storySources.every((s) => s.publishedAt.getTime() >= start);
}

export function guardFreshness(v: FreshnessVerdict, facts: GuardFacts): Guarded {
  if (v.verdict === "fresh") return { upheld: true, overruledReason: null, evidence: [] };
  const label = v.verdict === "old_news" ? '"old news"' : '"fake"';
  const known = new Map([...facts.editionSources, ...facts.storySources].map((s) => [s.id, s]));
  const evidence = v.evidence
    .filter((e) => known.has(e.sourceId.trim()))
    .map((e) => ({
      sourceId: e.sourceId.trim(),
      publishedAt: known.get(e.sourceId.trim())!.publishedAt.toISOString(),
      note: e.note,
      ...(e.contradicts ? { contradicts: e.contradicts } : {}),
    }));
  const overrule = (why: string): Guarded => ({ upheld: false, overruledReason: `${label} overruled: ${why}`, evidence });

  if (!v.evidence.length) return overrule("no evidence cited (an earlier dated source or a contradicting source is required)");
  if (!evidence.length) return overrule(`the cited source(s) ${v.evidence.map((e) => e.sourceId).join(", ")} do not exist among this story's or edition's sources`);
  if (freshByTimestamps(facts)) return guardFreshStory(v.verdict, evidence, facts, overrule);

  if (v.verdict === "old_news") {
    const start = facts.now.getTime() - facts.windowHours * 3_600_000;
    const first = Math.min(...facts.storySources.map((s) => s.publishedAt.getTime()));
    const earlier = evidence.filter((e) => {
      const t = new Date(e.publishedAt).getTime();
      return t < start && t <= first;
    });
    if (!earlier.length) {
      const times = facts.storySources.map((s) => s.publishedAt.toISOString()).sort();
      return overrule(
        `contradicted by the source timestamps: the cited source(s) are dated inside the ${facts.windowHours}-hour window ending ${facts.now.toISOString()}` +
          (times.length ? `, as are ${times.filter((t) => new Date(t).getTime() >= start).length} of this story's ${times.length} source(s) (${times[0]} to ${times.at(-1)})` : ""),
      );
    }
    return { upheld: true, overruledReason: null, evidence: earlier };
  }
  const explained = evidence.filter((e) => e.note.trim().length > 0);
  if (!explained.length) return overrule("the cited source(s) come with no note of what they contradict");
  return { upheld: true, overruledReason: null, evidence: explained };
}

/** Rule (a) for a story whose sources are all inside the window. */
function guardFreshStory(verdict: "old_news" | "fake", evidence: Guarded["evidence"], facts: GuardFacts, overrule: (why: string) => Guarded): Guarded {
  const own = new Set(facts.storySources.map((s) => s.id));
  const other = evidence.filter((e) => !own.has(e.sourceId));
  if (!other.length)
    return overrule(
      `the only evidence cited is the story's own source(s) (${evidence.map((e) => e.sourceId).join(", ")}), all dated inside the ${facts.windowHours}-hour window; a story's own report is no evidence against it`,
    );
  if (verdict === "old_news") {
    const start = facts.now.getTime() - facts.windowHours * 3_600_000;
    const earlier = other.filter((e) => new Date(e.publishedAt).getTime() < start);
    if (!earlier.length)
      return overrule(`contradicted by the source timestamps: no cited source is dated before the ${facts.windowHours}-hour window opened (${new Date(start).toISOString()}), and every source of this story is inside it`);
    return { upheld: true, overruledReason: null, evidence: earlier };
  }
  const sentences = facts.storySentences ?? [];
  const named = other.filter((e) => e.note.trim() && e.contradicts?.trim() && isSupported(supportOf(e.contradicts, sentences)));
  if (!named.length) return overrule("no cited source names a sentence of the script or its sources that it contradicts");
  return { upheld: true, overruledReason: null, evidence: named };
}
