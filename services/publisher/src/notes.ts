// Edition notes (editions.notes) are objects with a `kind` and a `message`, written by every
// service; these are the producer's, and how any note reads on the page.
import type { PublishReason } from "./plan.js";

export interface StoryDroppedNote {
  kind: "story_dropped";
  story_id: string;
  stage: string;
  reason: string;
  message: string;
}

export interface LeftOutNote {
  kind: "left_out";
  story_id: string;
  stage: string;
  reason: string;
  message: string;
}

export interface PublishedNote {
  kind: "published";
  reason: PublishReason;
  message: string;
}

export function storyDroppedNote(storyId: string, stage: string, reason: string): StoryDroppedNote {
  return { kind: "story_dropped", story_id: storyId, stage, reason, message: `Story ${storyId} dropped at ${stage}: ${reason}` };
}

export function leftOutNote(storyId: string, title: string, stage: string, reason: string): LeftOutNote {
  return { kind: "left_out", story_id: storyId, stage, reason, message: `Left out "${title}" (${stage}): ${reason}` };
}

export function publishedNote(reason: PublishReason, leftOut: number): PublishedNote {
  const message =
    reason === "complete"
      ? "Published when every story in the lineup was voiced or dropped."
      : `Published at the deadline with what was ready${leftOut ? `; ${leftOut} ${leftOut === 1 ? "story was" : "stories were"} left out` : ""}.`;
  return { kind: "published", reason, message };
}

/** The stage at which a story was dropped, as the dropping service reported it in its event. */
export function droppedStages(notes: unknown[]): Map<string, string> {
  const stages = new Map<string, string>();
  for (const n of notes) if (isRecord(n) && n.kind === "story_dropped" && typeof n.story_id === "string" && typeof n.stage === "string") stages.set(n.story_id, n.stage);
  return stages;
}

export function noteKind(note: unknown): string {
  return isRecord(note) && typeof note.kind === "string" ? note.kind : "note";
}

/** One readable line for any note, whoever wrote it. */
export function noteText(note: unknown): string {
  if (typeof note === "string") return note;
  if (isRecord(note)) {
    for (const key of ["message", "text", "note"]) if (typeof note[key] === "string") return note[key] as string;
  }
  return JSON.stringify(note);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
