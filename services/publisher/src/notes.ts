// The producer's edition notes (every kind is declared in platform/src/editorial/notes.ts).
import type { EditionNote, NoteOf, PublishReason } from "@newsroom/platform/editorial/notes";

export function storyDroppedNote(storyId: string, stage: string, reason: string): NoteOf<"story_dropped"> {
  return { kind: "story_dropped", story_id: storyId, stage, reason, message: `Story ${storyId} dropped at ${stage}: ${reason}` };
}

export function leftOutNote(storyId: string, title: string, stage: string, reason: string): NoteOf<"left_out"> {
  return { kind: "left_out", story_id: storyId, stage, reason, message: `Left out "${title}" (${stage}): ${reason}` };
}

export function publishedNote(reason: PublishReason, leftOut: number): NoteOf<"published"> {
  const message =
    reason === "complete"
      ? "Published when every story in the lineup was voiced or dropped."
      : `Published at the deadline with what was ready${leftOut ? `; ${leftOut} ${leftOut === 1 ? "story was" : "stories were"} left out` : ""}.`;
  return { kind: "published", reason, message };
}

/** The stage at which a story was dropped, as the dropping service reported it in its event. */
export function droppedStages(notes: EditionNote[]): Map<string, string> {
  const stages = new Map<string, string>();
  for (const n of notes) if (n.kind === "story_dropped") stages.set(n.story_id, n.stage);
  return stages;
}
