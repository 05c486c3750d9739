// An edition's notes (editions.notes): what its page says about how it was made. Every kind is
// declared here, each with a readable `message`; appendNotes is how they are added and readNotes
// how they are read back.
import { sql, type Transaction } from "kysely";
import type { Database } from "../db/schema.js";

/** Why an edition is published: "complete", every lineup story was voiced or dropped; "deadline", with what was ready. */
export type PublishReason = "complete" | "deadline";

export type EditionNote =
  // made before any work starts (services/ingest/src/editions/request.ts)
  | { kind: "warning"; message: string }
  | { kind: "offline"; message: string; models: string[] }
  // any model role: budget switches, waived review rules
  | { kind: "router"; role: string; message: string }
  // ingest
  | { kind: "ingest_failed"; message: string }
  | { kind: "feed_error"; message: string; feed: string; error: string }
  | { kind: "feed_warning"; message: string; feed: string; warnings: string[] }
  | { kind: "out_of_window"; message: string; count: number; items: { feed: string; title: string; url: string | null; published: string | null; reason: string }[] }
  // editor
  | { kind: "empty_lineup" | "lineup_fallback" | "intro_left_out" | "outro_left_out"; message: string }
  | { kind: "role_unavailable" | "template_fallback"; role: string; message: string }
  | { kind: "not_news"; story_id: string; message: string }
  | { kind: "part_left_out" | "headline_fallback"; story_id: string; message: string }
  // after the lineup: two picks about one event became one story (lineup/same-event.ts)
  | { kind: "same_event"; story_id: string; merged_story_id: string; message: string }
  // memory across editions (lineup/memory.ts): a story the show aired before, left out or aired as an update
  | { kind: "repeat_left_out" | "aired_update"; story_id: string; aired_story_id: string; message: string }
  // publisher
  | { kind: "story_dropped" | "left_out"; story_id: string; stage: string; reason: string; message: string }
  | { kind: "published"; reason: PublishReason; message: string }
  | { kind: "failed"; message: string }
  // the corrections desk or an operator upheld a listener's report on a story (issue 10)
  | { kind: "correction"; story_id: string; report_id: string; message: string }
  // a stored note this version does not know (kept, as its JSON text)
  | { kind: "note"; message: string };

export type NoteKind = EditionNote["kind"];
/** The note of one kind (members that share their fields list several kinds). */
export type NoteOf<K extends NoteKind> = EditionNote extends infer N ? (N extends { kind: infer Ks } ? (K extends Ks ? Omit<N, "kind"> & { kind: K } : never) : never) : never;

// Every kind, checked complete by the compiler, so the reader knows a note when it sees one.
const KINDS: Record<NoteKind, true> = {
  warning: true,
  offline: true,
  router: true,
  ingest_failed: true,
  feed_error: true,
  feed_warning: true,
  out_of_window: true,
  empty_lineup: true,
  lineup_fallback: true,
  intro_left_out: true,
  outro_left_out: true,
  role_unavailable: true,
  template_fallback: true,
  not_news: true,
  part_left_out: true,
  headline_fallback: true,
  same_event: true,
  repeat_left_out: true,
  aired_update: true,
  story_dropped: true,
  left_out: true,
  published: true,
  failed: true,
  correction: true,
  note: true,
};

/** The notes as stored; anything else in the column (a hand edit, an unknown kind) reads as a "note" holding its JSON. */
export function readNotes(stored: unknown): EditionNote[] {
  if (!Array.isArray(stored)) return [];
  return stored.map((n: unknown) => (isNote(n) ? n : { kind: "note", message: JSON.stringify(n) }));
}

function isNote(n: unknown): n is EditionNote {
  if (typeof n !== "object" || n === null) return false;
  const { kind, message } = n as Record<string, unknown>;
  return typeof kind === "string" && Object.hasOwn(KINDS, kind) && typeof message === "string";
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
