// Adds lines to an edition's notes (editions.notes: objects with `kind` and `message`).
import { sql, type Transaction } from "kysely";
import type { Database } from "../db/schema.js";

export interface EditionNote {
  kind: string;
  message: string;
  [more: string]: unknown;
}

export async function appendNotes(tx: Transaction<Database>, editionId: string, notes: EditionNote[]): Promise<void> {
  if (!notes.length) return;
  await tx
    .updateTable("editions")
    .set({ notes: sql`notes || ${JSON.stringify(notes)}::jsonb` as never })
    .where("id", "=", editionId)
    .execute();
}

/** Notes the router attached to a result (budget switch, waived review rule), for the edition page. */
export function routerNotes(role: string, result: { notes?: string[] }): EditionNote[] {
  return (result.notes ?? []).map((message) => ({ kind: "router", role, message }));
}
