// Whether two stories report the same event, decided by code from their sources' names,
// figures and dates (event-terms.ts), in Chinese and English alike.
//
// RULE (same event): each term weighs by its rarity across the stories compared (a term in
// every story weighs little; a figure or a date counts half again, a country half), twice when
// a story's title names it (the title says what happened). The score is the cosine of the two
// stories' weighted terms, over their whole terms or over their titles' terms, whichever is
// higher. Two stories are one event when the score is at least SAME_EVENT_AT and they share a
// rare figure or date (one at most a tenth of the stories carry) and two more terms, or four
// terms that are not countries, or three such terms at a score of CLOSE_AT: one name in common
// (the same president in two stories) is not an event in common. Stories in different
// languages are compared on the terms both languages write alike (figures, dates, countries,
// Latin-letter names).
import { eventTerms, isNeutral, type EventTerm } from "./event-terms.js";

export const SAME_EVENT_AT = 0.3;
/** A score at which three shared names are enough. */
const CLOSE_AT = 0.6;
/** How much of each source is read: enough to say what happened, not so much that every story shares words. */
const LEAD_CHARS = 240;

export interface EventText {
  title: string;
  /** Titles and texts of its sources. */
  sources: { title: string; text: string }[];
}

/** A story's terms, each with 2 when a title names it, else 1. */
export type StoryTerms = Map<EventTerm, number>;

/** The story's terms: from its title, its sources' titles and the lead of each source. */
export function storyTerms(story: EventText): StoryTerms {
  const titles = eventTerms([story.title, ...story.sources.map((s) => s.title)].join("\n"));
  const leads = eventTerms(story.sources.map((s) => s.text.slice(0, LEAD_CHARS)).join("\n"));
  return new Map([...[...leads].map((t) => [t, 1] as const), ...[...titles].map((t) => [t, 2] as const)]);
}

/** How rare each term is among the stories being compared. */
export class Rarity {
  private readonly df = new Map<EventTerm, number>();
  private readonly n: number;
  constructor(stories: Iterable<StoryTerms>) {
    let n = 0;
    for (const terms of stories) {
      n++;
      for (const t of terms.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
    this.n = n;
  }
  weight(term: EventTerm): number {
    const kind = term.startsWith("n:") || term.startsWith("d:") ? 1.5 : term.startsWith("p:") ? 0.5 : 1;
    return kind * Math.log(1 + Math.max(this.n, 2) / (this.df.get(term) ?? 1));
  }
  /** Carried by at most a tenth of the stories (or two): today's date in every report is no clue. */
  rare(term: EventTerm): boolean {
    return (this.df.get(term) ?? 0) <= Math.max(2, this.n / 10);
  }
}

export interface EventMatch {
  same: boolean;
  /** Share of the lighter story's term weight that the two share. */
  score: number;
  shared: EventTerm[];
}

export function compareEvents(a: StoryTerms, b: StoryTerms, rarity: Rarity): EventMatch {
  // Chinese words only meet Chinese words: without them on both sides, compare the neutral terms.
  const words = [...a.keys()].some((t) => !isNeutral(t)) && [...b.keys()].some((t) => !isNeutral(t));
  const [x, y] = words ? [a, b] : [neutral(a), neutral(b)];
  const shared = [...x.keys()].filter((t) => y.has(t)).sort();
  const score = Math.max(cosine(x, y, rarity), cosine(titled(x), titled(y), rarity));
  const figures = shared.filter((t) => /^[nd]:/.test(t) && rarity.rare(t)).length;
  const regions = shared.filter((t) => t.startsWith("p:")).length;
  const named = shared.length - regions;
  const enough = (figures >= 1 && shared.length >= 3) || named >= 4 || (named >= 3 && score >= CLOSE_AT);
  return { same: enough && score >= SAME_EVENT_AT, score, shared };
}

/** The cosine of two stories' weighted terms. */
function cosine(x: StoryTerms, y: StoryTerms, rarity: Rarity): number {
  const length = (v: StoryTerms) => Math.sqrt([...v].reduce((sum, [t, boost]) => sum + (rarity.weight(t) * boost) ** 2, 0));
  let dot = 0;
  for (const [t, boost] of x) if (y.has(t)) dot += rarity.weight(t) ** 2 * boost * y.get(t)!;
  return dot ? dot / (length(x) * length(y)) : 0;
}

function titled(terms: StoryTerms): StoryTerms {
  return new Map([...terms].filter(([, boost]) => boost > 1));
}

function neutral(terms: StoryTerms): StoryTerms {
  return new Map([...terms].filter(([t]) => isNeutral(t)));
}
