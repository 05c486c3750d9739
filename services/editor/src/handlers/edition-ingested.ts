// edition.ingested -> the lineup: editor_in_chief and deputy_editor (another vendor and camp)
// rank side by side, each blind to the other's picks and each given the candidates in its own
// neutral order (lineup/opinions.ts); both are kept as reviews, and the Borda rule
// (lineup/merge.ts) decides. The intro and outro greetings are written here too (framed later by the show pass). One commit: selected stories, the
// edition's lineup, and a `lineup.decided` per story (so each story moves on by itself).
import { inStoryTrace } from "@newsroom/platform/telemetry/story-trace";
import type { Handler } from "@newsroom/platform/handler";
import { loadEdition } from "@newsroom/platform/editorial/material";
import { appendNotes, routerNotes, type EditionNote } from "@newsroom/platform/editorial/notes";
import { insertReviews, traceReviews, type ReviewRecord } from "@newsroom/platform/editorial/review";
import { editionSettings } from "@newsroom/platform/editorial/settings";
import { editionAudience } from "@newsroom/platform/editorial/audience";
import { airTimeOf } from "@newsroom/platform/editorial/wording";
import type { TaskResult } from "@newsroom/platform/router/types";
import type { EditorDeps } from "../deps.js";
import { writeGreeting } from "../greetings.js";
import { showPassIfSettled } from "../show-pass.js";
import { loadCandidates, writableOffline, type Candidate, type LineupInput, type LineupOpinion } from "../lineup/candidates.js";
import { screenCandidates } from "../lineup/item-kind.js";
import { bordaMerge, fillLineup, pickDifference, validPicks } from "../lineup/merge.js";
import { neutralOrder } from "../lineup/neutral-order.js";
import { twoOpinions, type Opinion } from "../lineup/opinions.js";
import { loadRecheck, recheckLineup, storeRecheck, type RecheckedLineup } from "../lineup/recheck.js";

export function onEditionIngested(deps: EditorDeps): Handler<"edition.ingested"> {
  return async (event, ctx) => {
    const editionId = event.meta!.editionId;
    const edition = await loadEdition(ctx.db, editionId);
    if (edition.lineup_size !== null) return; // decided already (a redelivery after a crash)
    const settings = editionSettings(edition, deps.config.edition);
    const router = deps.router();
    const call = { editionId, working: ctx.working, airTime: airTimeOf(edition, settings) };
    const notes: EditionNote[] = [];
    const screened = screenCandidates(await loadCandidates(ctx.db, editionId), settings.stories, settings.language);
    const candidates = screened.candidates;
    for (const { candidate, kind } of screened.leftOut)
      notes.push({ kind: "not_news", story_id: candidate.id, message: `"${candidate.title}" left out of the lineup: it reads as ${kind.replace("_", " ")}, not news` });

    let lineup: string[] = [];
    let reviews: ReviewRecord[] = [];
    let rechecked: RecheckedLineup | undefined;
    if (candidates.length) {
      const input: LineupInput = { language: settings.language, slot: edition.slot, now: new Date(edition.now).toISOString(), stories: settings.stories, audience: editionAudience(settings), candidates };
      const inRoleOrder = (role: string) => ({ ...input, candidates: neutralOrder(candidates, `${editionId}/${role}`) });
      const { chief, deputy } = await twoOpinions(router, deps.config.chains, { chief: inRoleOrder("editor_in_chief"), deputy: inRoleOrder("deputy_editor") }, call, notes);
      ({ lineup, reviews } = decideLineup(editionId, settings.stories, candidates, chief, deputy, notes));
      // Code's second look: one story per event, and no repeat of what the show aired unless it has news.
      const offlineOnly = [chief, deputy].every((o) => !o || o.offline) && !!(chief || deputy);
      rechecked = recheckLineup({ lineup, candidates, ...(await loadRecheck(ctx.db, edition, candidates, settings.window_hours)), canFill: (c) => !offlineOnly || writableOffline(c, settings.language) });
      lineup = rechecked.lineup;
      notes.push(...rechecked.notes);
      await ctx.progress("lineup", `${lineup.length} of ${candidates.length} candidates selected${reviews.some((r) => r.disagreement) ? " (editors disagreed; Borda merge)" : ""}`);
    } else {
      notes.push({ kind: "empty_lineup", message: "No candidate stories in the window: the edition has only its intro and outro." });
      await ctx.progress("lineup", "no candidate stories");
    }

    const intro = await writeGreeting(router, edition, settings, deps.config, "intro", call, notes);
    const outro = await writeGreeting(router, edition, settings, deps.config, "outro", call, notes);

    // Each story's events travel in the story's own trace (started at ingest).
    const storyTraces = new Map(
      (await ctx.db.selectFrom("stories").select(["id", "trace_context"]).where("edition_id", "=", editionId).execute()).map((r) => [r.id, r.trace_context]),
    );
    await ctx.commit(async (tx, emit) => {
      // The greetings wait for the show pass (show-pass.ts), which adds the rundown and recap
      // once the lineup's stories are settled; an empty lineup is settled at once.
      for (const s of [intro, outro]) await tx.insertInto("scripts").values(s).execute();
      if (rechecked) await storeRecheck(tx, rechecked);
      for (const [i, id] of lineup.entries())
        await tx.updateTable("stories").set({ status: "selected", rank: i + 1 }).where("id", "=", id).execute();
      await tx
        .updateTable("editions")
        .set({ lineup_size: lineup.length, status: "producing" })
        .where("id", "=", editionId)
        .execute();
      await appendNotes(tx, editionId, notes);
      await insertReviews(tx, reviews);
      for (const [i, id] of lineup.entries())
        await inStoryTrace(storyTraces.get(id), () =>
          emit("lineup.decided", { rank: i + 1, lineupSize: lineup.length }, { editionId, storyId: id, key: `lineup:${id}` }),
        );
      await showPassIfSettled(tx, emit, deps.config, editionId);
    });
    traceReviews(reviews);
  };
}

/** Both opinions as reviews rows, their disagreement, and the merged lineup. */
function decideLineup(editionId: string, n: number, candidates: Candidate[], chief: Opinion, deputy: Opinion, notes: EditionNote[]) {
  const picks = (o: Opinion) => (o ? validPicks(o.output, candidates, n) : []);
  const [a, b] = [picks(chief), picks(deputy)];
  const diff = pickDifference(a, b);
  const disagreement = !!chief && !!deputy && (diff.onlyFirst.length > 0 || diff.onlySecond.length > 0);
  const opinions = [chief, deputy].filter((o): o is TaskResult<LineupOpinion> => !!o);
  const merged = opinions.length ? bordaMerge(n, [a, b].filter((_, i) => [chief, deputy][i]), candidates) : [];
  // The offline editors leave out on purpose what the offline writer cannot write: no filling then.
  const lineup = opinions.length && opinions.every((o) => o.offline) ? merged : fillLineup(merged, candidates, n);
  if (!opinions.length) notes.push({ kind: "lineup_fallback", message: "Neither editor could be reached: the lineup is the newest stories, then the most reported." });
  else if (merged.length < lineup.length)
    notes.push({ kind: "lineup_fallback", message: `The editors named ${merged.length} usable candidate(s); the newest others fill the remaining ${lineup.length - merged.length} place(s).` });

  const title = (id: string) => candidates.find((c) => c.id === id)?.title ?? id;
  const record = (role: "editor_in_chief" | "deputy_editor", o: TaskResult<LineupOpinion>, mine: string[], onlyMine: string[], onlyTheirs: string[]): ReviewRecord => ({
    id: `${editionId}.lineup.${role}`,
    editionId,
    storyId: null,
    scriptId: null,
    role,
    verdict: mine.join(","),
    reason:
      o.output.reason +
      (disagreement
        ? ` | Disagreement: only ${role === "editor_in_chief" ? "the editor-in-chief" : "the deputy"} picked ${onlyMine.map(title).join("; ") || "nothing"}; only the other picked ${onlyTheirs.map(title).join("; ") || "nothing"}. Resolved by Borda merge: ${lineup.map(title).join("; ")}.`
        : ""),
    evidence: o.output.picks.map((p) => ({ id: p.id, title: title(p.id), why: p.why })),
    provider: o.provider,
    model: o.model,
    camp: o.camp,
    disagreement,
  });
  const reviews: ReviewRecord[] = [];
  if (chief) reviews.push(record("editor_in_chief", chief, a, diff.onlyFirst, diff.onlySecond));
  if (deputy) reviews.push(record("deputy_editor", deputy, b, diff.onlySecond, diff.onlyFirst));
  for (const o of opinions) notes.push(...routerNotes(o === chief ? "editor_in_chief" : "deputy_editor", o));
  return { lineup, reviews };
}
