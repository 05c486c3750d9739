// The two lineup opinions, asked side by side: neither editor sees the other's picks, so the
// deputy's ranking is independent and the Borda merge (merge.ts) weighs two real opinions.
//
// RULE (vendor and camp independence): the deputy must come from another vendor and camp than
// the chief. As they run at once, the chief's model is predicted from config: the first of its
// chain. The deputy avoids that vendor and prefers the other camps. If the chief in fact fell
// back to a model of the deputy's vendor (or camp, while the deputy's chain has a model of
// another camp), the deputy is asked again, now avoiding the chief's real vendor and camp, and
// still without the chief's picks.
import { CAMPS, type Camp } from "@newsroom/platform/config/schema";
import type { ChainEntry } from "@newsroom/platform/config/load";
import type { EditionNote } from "@newsroom/platform/editorial/notes";
import { ChainExhaustedError, ReviewIndependenceError, type CallContext, type Router, type TaskResult } from "@newsroom/platform/router/types";
import { editorInChiefTask } from "../roles/editor-in-chief.js";
import { deputyEditorTask } from "../roles/deputy-editor.js";
import { resolvePick, type LineupInput, type LineupOpinion } from "./candidates.js";

export type Opinion = TaskResult<LineupOpinion> | null;

export async function twoOpinions(
  router: Router,
  chains: Record<"editor_in_chief" | "deputy_editor", ChainEntry[]>,
  inputs: { chief: LineupInput; deputy: LineupInput },
  call: CallContext,
  notes: EditionNote[],
): Promise<{ chief: Opinion; deputy: Opinion }> {
  const expected = chains.editor_in_chief[0];
  const askDeputy = (vendor: string | undefined, camp: Camp | undefined) =>
    unlessUnavailable(() => router.run(deputyEditorTask, inputs.deputy, { ...call, avoidVendors: vendor ? [vendor] : [], preferCamps: otherCamps(camp) }), "deputy_editor", notes).then((o) =>
      withCandidateIds(o, inputs.deputy),
    );
  const [chief, first] = await Promise.all([
    unlessUnavailable(() => router.run(editorInChiefTask, inputs.chief, call), "editor_in_chief", notes).then((o) => withCandidateIds(o, inputs.chief)),
    askDeputy(expected?.vendor, expected?.camp),
  ]);
  if (!chief || !first || !couldBeMoreIndependent(chief, first, chains.deputy_editor)) return { chief, deputy: first };
  notes.push({
    kind: "note",
    message: `The editor-in-chief answered from ${chief.provider}/${chief.model} (${chief.camp}), not its first choice; the deputy (${first.provider}/${first.model}) was asked again to stay independent of it.`,
  });
  return { chief, deputy: await askDeputy(chief.vendor, chief.camp) };
}

/**
 * Each editor saw the candidates in its own order ("story 3" is a different story for each):
 * picks become candidate ids here. A pick that names no candidate keeps what the model wrote in
 * `why` and an empty id, so no later lookup can mistake it for a number in another order.
 */
export function withCandidateIds(opinion: Opinion, shown: Pick<LineupInput, "candidates">): Opinion {
  if (!opinion) return opinion;
  const picks = opinion.output.picks.map((p) => {
    const id = resolvePick(p.id, shown.candidates);
    return id ? { ...p, id } : { id: "", why: `(not a candidate: ${JSON.stringify(p.id)}) ${p.why}`.trim() };
  });
  return { ...opinion, output: { ...opinion.output, picks } };
}

/** True when the deputy shares the chief's vendor or camp and its chain has a model that would not. */
export function couldBeMoreIndependent(chief: Pick<TaskResult<unknown>, "vendor" | "camp">, deputy: Pick<TaskResult<unknown>, "vendor" | "camp">, chain: Pick<ChainEntry, "vendor" | "camp">[]): boolean {
  const sameVendor = deputy.vendor === chief.vendor;
  if (!sameVendor && deputy.camp !== chief.camp) return false;
  return chain.some((e) => e.vendor !== chief.vendor && (sameVendor || e.camp !== chief.camp));
}

function otherCamps(camp: Camp | undefined): Camp[] {
  return CAMPS.filter((c) => c !== camp);
}

/** A role whose whole chain failed leaves a note instead of stopping the edition. */
async function unlessUnavailable<T>(run: () => Promise<T>, role: string, notes: EditionNote[]): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ChainExhaustedError) && !(err instanceof ReviewIndependenceError)) throw err;
    notes.push({ kind: "role_unavailable", role, message: `${role} could not be reached: ${err.message.slice(0, 200)}` });
    return null;
  }
}
