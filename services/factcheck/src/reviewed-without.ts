// The mark a story carries when a whole camp could not review it: on the story row (for the
// page and edition.json) and as a rules review row (traced like every verdict).
import type { Transaction } from "kysely";
import type { Camp } from "@newsroom/platform/config/schema";
import type { Database } from "@newsroom/platform/db/schema";
import type { ReviewRow } from "./review-rows.js";

export function withoutRow(camps: Camp[]): ReviewRow {
  return {
    role: "reviewed_without",
    verdict: camps.join(","),
    passed: true,
    reason: `reviewed without the ${camps.join(" and ")} camp: none of its models could be reached, so other vendors and the deterministic checks (grounding, freshness by timestamps, language, truncation, injection) reviewed it`,
    evidence: camps.map((camp) => ({ camp })),
    overruled: null,
  };
}

export async function markReviewedWithout(tx: Transaction<Database>, storyId: string, camps: Camp[]): Promise<void> {
  await tx.updateTable("stories").set({ reviewed_without: camps.join(",") }).where("id", "=", storyId).execute();
}
