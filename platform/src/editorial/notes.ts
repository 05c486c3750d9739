// Adds lines to an edition's notes (editions.notes: objects with `kind` and `message`).
import { sql, type Transaction } from "kysely";
import type { Database } from "../db/schema.js";

export interface EditionNote {
  kind: string;
  message: string;
  [more: string]: unknown;
}

/** Appends notes, skipping any the edition already has (the same router note comes once per story). */
export async function appendNotes(tx: Transaction<Database>, editionId: string, notes: EditionNote[]): Promise<void> {
  const unique = [...new Map(notes.map((n) => [JSON.stringify(n), n])).values()];
  if (!unique.length) return;
  const fresh = sql`(select coalesce(jsonb_agg(n), '[]'::jsonb) from jsonb_array_elements(${JSON.stringify(unique)}::jsonb) n where not notes @> jsonb_build_array(n))`;
  await tx
    .updateTable("editions")
    .set({ notes: sql`notes || ${fresh}` as never })
    .where("id", "=", editionId)
    .execute();
}

/** Notes the router attached to a result (budget switch, waived review rule), for the edition page. */
export function routerNotes(role: string, result: { notes?: string[] }): EditionNote[] {
  return (result.notes ?? []).map((message) => ({ kind: "router", role, message }));
}
