// A story leaves the lineup: its status, its reason, and the `story.dropped` event that tells
// the producer to stop waiting for it, in the caller's transaction.
import type { Transaction } from "kysely";
import type { Database } from "../db/schema.js";
import type { Emit } from "../handler.js";

export async function dropStory(
  tx: Transaction<Database>,
  emit: Emit,
  story: { id: string; edition_id: string },
  stage: string,
  reason: string,
): Promise<void> {
  await tx.updateTable("stories").set({ status: "dropped", drop_reason: `${stage}: ${reason}`.slice(0, 2000) }).where("id", "=", story.id).execute();
  await emit("story.dropped", { stage, reason }, { editionId: story.edition_id, storyId: story.id, key: `dropped:${story.id}` });
}
