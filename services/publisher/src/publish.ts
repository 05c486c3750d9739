// Publishing one edition inside one transaction: lock the edition row, check it is still
// unpublished (and complete, unless the deadline passed), assemble the files, mark it
// published and queue `edition.published`. A competing replica waits on the lock and then
// finds the edition published; a crash rolls everything back and the work is redone.
import type { Transaction } from "kysely";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import type { Database } from "@newsroom/platform/db/schema";
import { appendNotes } from "@newsroom/platform/editorial/notes";
import type { Emit } from "@newsroom/platform/handler";
import type { Logger } from "@newsroom/platform/log";
import { assembleEdition, NothingToPublishError, type AssembledEdition } from "./assemble.js";
import type { AudioOptions } from "./audio.js";
import { loadEditionState } from "./load.js";
import { planEdition, type PublishReason } from "./plan.js";

export interface PublishDeps {
  config: LoadedConfig;
  outDir: string;
  log?: Logger;
  audio?: AudioOptions;
}

export type PublishOutcome =
  | { status: "published"; assembled: AssembledEdition }
  | { status: "failed"; reason: string }
  | { status: "skipped"; reason: string };

/**
 * `complete`: publish only when nothing is pending. `deadline`: publish what is ready when the
 * deadline has passed (an edition with no voiced story is marked failed instead).
 */
export async function publishInTransaction(
  tx: Transaction<Database>,
  emit: Emit,
  deps: PublishDeps,
  editionId: string,
  mode: PublishReason,
  opts: { clock?: Date; onProgress?: () => void } = {},
): Promise<PublishOutcome> {
  const clock = opts.clock ?? new Date();
  const row = await tx.selectFrom("editions").select(["status", "deadline_at"]).where("id", "=", editionId).forUpdate().executeTakeFirst();
  if (!row) return { status: "skipped", reason: "no such edition" };
  if (row.status === "published" || row.status === "failed") return { status: "skipped", reason: `already ${row.status}` };
  if (mode === "deadline" && new Date(row.deadline_at) > clock) return { status: "skipped", reason: "deadline not reached" };
  if (mode === "complete") {
    const plan = planEdition(await loadEditionState(tx, editionId));
    if (!plan.complete) return { status: "skipped", reason: `waiting for ${plan.waitingFor.join("; ")}` };
  }

  let assembled: AssembledEdition;
  try {
    assembled = await assembleEdition({ db: tx, config: deps.config, outDir: deps.outDir, editionId, reason: mode, log: deps.log, audio: deps.audio, publishedAt: clock, onProgress: opts.onProgress });
  } catch (err) {
    if (!(err instanceof NothingToPublishError)) throw err;
    // Every story left out (complete) or none ready (deadline): the edition fails now, saying why,
    // rather than waiting for a deadline that cannot change anything.
    const reason = `${mode === "deadline" ? "nothing was ready at the deadline" : "every story was left out"}: ${err.message}${await dropReasons(tx, editionId)}`;
    await tx
      .updateTable("editions")
      .set({ status: "failed" })
      .where("id", "=", editionId)
      .execute();
    await appendNotes(tx, editionId, [{ kind: "failed", message: reason }]);
    deps.log?.warn(mode === "deadline" ? "edition failed at its deadline" : "edition failed: every story was left out", { edition: editionId, reason });
    return { status: "failed", reason };
  }

  await tx
    .updateTable("editions")
    .set({
      status: "published",
      location: assembled.dir,
      duration_ms: assembled.durationMs,
      published_at: clock,
    })
    .where("id", "=", editionId)
    .execute();
  await appendNotes(tx, editionId, assembled.notes);
  await emit(
    "edition.published",
    { location: assembled.dir, durationMs: assembled.durationMs, storyCount: assembled.storyCount, leftOut: assembled.leftOut.map((l) => l.storyId) },
    { editionId, key: `published:${editionId}` },
  );
  return { status: "published", assembled };
}

/** The distinct reasons stories were dropped, for a failed edition's message. */
async function dropReasons(tx: Transaction<Database>, editionId: string): Promise<string> {
  const rows = await tx.selectFrom("stories").select("drop_reason").where("edition_id", "=", editionId).where("status", "=", "dropped").execute();
  const reasons = [...new Set(rows.map((r) => r.drop_reason).filter((r): r is string => !!r))];
  return reasons.length ? `; dropped because: ${reasons.slice(0, 3).join(" | ")}${reasons.length > 3 ? ` (+${reasons.length - 3} more)` : ""}` : "";
}
