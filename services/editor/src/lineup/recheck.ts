// The lineup after the editors: code checks what models cannot be trusted with.
//
// RULE (after the merged lineup):
// 1. Picks that report the same event (same-event.ts) become one story: the later pick's
//    sources join the earlier pick, and the later pick leaves the lineup.
// 2. Each remaining pick is judged against what the same show aired before (memory.ts): a
//    repeat without new sources leaves the lineup; one with new sources stays, as an update.
// 3. Places freed by 1 and 2 go to the newest other candidates (as merge.ts fills a lineup)
//    that the lineup's writers can write, are no repeat, and are not the same event as a pick.
// Every merge, repeat and update leaves an edition note.
import type { Transaction } from "kysely";
import type { Db } from "@newsroom/platform/db/connect";
import type { AiredBefore, Database, Edition } from "@newsroom/platform/db/schema";
import type { EditionNote } from "@newsroom/platform/editorial/notes";
import { byRecency, type Candidate } from "./candidates.js";
import { judgeRepeat, loadAired, type AiredStory, type IdentifiedSource } from "./memory.js";
import { compareEvents, Rarity, storyTerms, type StoryTerms } from "./same-event.js";

export interface CandidateSource extends IdentifiedSource {
  id: string;
  story_id: string;
  title: string;
  text: string;
  published_at: Date | string;
}

export interface Merge {
  into: string;
  from: string;
  sourceIds: string[];
}

export interface RecheckedLineup {
  lineup: string[];
  merges: Merge[];
  /** Stories that air again as updates, with what aired before. */
  updates: Map<string, AiredBefore>;
  notes: EditionNote[];
}

export interface RecheckInput {
  lineup: string[];
  candidates: Candidate[];
  sources: CandidateSource[];
  aired: AiredStory[];
  /** Whether a candidate may fill a freed place (the offline writer cannot write every one). */
  canFill: (c: Candidate) => boolean;
}

export function recheckLineup(input: RecheckInput): RecheckedLineup {
  const byId = new Map(input.candidates.map((c) => [c.id, c]));
  const byStory = new Map<string, CandidateSource[]>();
  for (const s of input.sources) byStory.set(s.story_id, [...(byStory.get(s.story_id) ?? []), s]);
  const sourcesOf = (id: string) => [...(byStory.get(id) ?? [])];
  const terms = new Map(input.candidates.map((c) => [c.id, storyTerms({ title: c.title, sources: sourcesOf(c.id) })]));
  const rarity = new Rarity([...terms.values(), ...input.aired.map((a) => a.terms)]);
  const notes: EditionNote[] = [];
  const merges: Merge[] = [];
  const title = (id: string) => byId.get(id)?.title ?? id;

  // 1. Same event among the picks: the later joins the earlier.
  const groups: { id: string; terms: StoryTerms; sources: CandidateSource[] }[] = [];
  for (const id of input.lineup.filter((x) => byId.has(x))) {
    const own = terms.get(id)!;
    const match = groups.map((g) => ({ g, m: compareEvents(g.terms, own, rarity) })).find((x) => x.m.same);
    if (!match) {
      groups.push({ id, terms: own, sources: sourcesOf(id) });
      continue;
    }
    const { g, m } = match;
    const moved = sourcesOf(id);
    merges.push({ into: g.id, from: id, sourceIds: moved.map((s) => s.id) });
    g.sources.push(...moved);
    for (const [t, boost] of own) g.terms.set(t, Math.max(boost, g.terms.get(t) ?? 0));
    notes.push({
      kind: "same_event",
      story_id: g.id,
      merged_story_id: id,
      message: `"${title(id)}" reports the same event as "${title(g.id)}" (in common: ${m.shared.map(readable).join(", ")}): its ${moved.length} source(s) joined that story.`,
    });
  }

  // 2. Memory: repeats leave, stories with new sources stay as updates.
  const updates = new Map<string, AiredBefore>();
  const kept: typeof groups = [];
  const judge = (id: string, t: StoryTerms, sources: CandidateSource[]): boolean => {
    const r = judgeRepeat(t, sources, input.aired, rarity);
    if (r.verdict === "repeat") {
      notes.push({
        kind: "repeat_left_out",
        story_id: id,
        aired_story_id: r.aired.before.story_id,
        message: `"${title(id)}" left out: it aired in the ${r.aired.before.slot} edition ${r.aired.before.edition_id} ("${r.aired.before.headline}") and no source is newer than that edition.`,
      });
      return false;
    }
    if (r.verdict === "update") {
      updates.set(id, r.aired);
      notes.push({
        kind: "aired_update",
        story_id: id,
        aired_story_id: r.aired.story_id,
        message: `"${title(id)}" aired in the ${r.aired.slot} edition ${r.aired.edition_id}; it airs again as an update, for ${r.aired.new_sources.length} newer source(s).`,
      });
    }
    return true;
  };
  for (const g of groups) if (judge(g.id, g.terms, g.sources)) kept.push(g);

  // 3. Freed places go to the next candidates.
  const lineup = kept.map((g) => g.id);
  for (const c of [...input.candidates].sort(byRecency)) {
    if (lineup.length >= input.lineup.length) break;
    if (input.lineup.includes(c.id) || !input.canFill(c)) continue;
    const own = terms.get(c.id)!;
    if (kept.some((g) => compareEvents(g.terms, own, rarity).same)) continue;
    if (!judge(c.id, own, sourcesOf(c.id))) continue;
    kept.push({ id: c.id, terms: own, sources: sourcesOf(c.id) });
    lineup.push(c.id);
  }
  if (lineup.length < input.lineup.length)
    notes.push({ kind: "lineup_fallback", message: `After the same-event and repeat checks, ${input.lineup.length - lineup.length} place(s) stay empty: no other candidate qualified.` });
  return { lineup, merges, updates, notes };
}

/** The candidates' sources, and what the same show aired before: what recheckLineup reads. */
export async function loadRecheck(db: Db, edition: Pick<Edition, "id" | "show_slug" | "now">, candidates: Candidate[], windowHours: number): Promise<Pick<RecheckInput, "sources" | "aired">> {
  const ids = candidates.map((c) => c.id);
  const sources = ids.length
    ? await db.selectFrom("sources").select(["id", "story_id", "title", "text", "published_at", "url", "guid", "feed"]).where("story_id", "in", ids).orderBy("published_at").orderBy("id").execute()
    : [];
  return { sources, aired: await loadAired(db, edition, windowHours) };
}

/** Stores the outcome in the lineup's commit: merged sources move, updates name what aired before. */
export async function storeRecheck(tx: Transaction<Database>, checked: RecheckedLineup): Promise<void> {
  for (const m of checked.merges) {
    if (m.sourceIds.length) await tx.updateTable("sources").set({ story_id: m.into }).where("id", "in", m.sourceIds).execute();
    const count = await tx.selectFrom("sources").select((eb) => eb.fn.countAll<string>().as("n")).where("story_id", "=", m.into).executeTakeFirstOrThrow();
    await tx.updateTable("stories").set({ source_count: Number(count.n) }).where("id", "=", m.into).execute();
    await tx.updateTable("stories").set({ source_count: 0 }).where("id", "=", m.from).execute();
  }
  for (const [id, aired] of checked.updates) await tx.updateTable("stories").set({ update_of: JSON.stringify(aired) }).where("id", "=", id).execute();
}

/** A term as the note shows it: "9-16" for a date, the figure, the region code, the name. */
function readable(term: string): string {
  return term.slice(2);
}
