// What goes into the edition and what is left out, from the rows alone: intro, the voiced
// stories by rank (each led by its transition from the show pass), outro. Also whether the edition is complete (nothing more to wait for).
import type { Script, Story, StoryStatus } from "@newsroom/platform/db/schema";
import type { EditionState, SegmentInfo } from "./load.js";
import { droppedStages } from "./notes.js";
import { readNotes } from "@newsroom/platform/editorial/notes";

export type { PublishReason } from "@newsroom/platform/editorial/notes";

export interface PlannedPart {
  kind: "intro" | "story" | "outro";
  /** Chapter id: "intro", "outro" or the story id. */
  id: string;
  title: string;
  story?: Story;
  script: Script;
  segments: SegmentInfo[];
}

export interface LeftOutStory {
  storyId: string;
  title: string;
  rank: number | null;
  /** Where the story stopped: the stage that dropped it, or how far it got by the deadline. */
  stage: string;
  reason: string;
  /** Dropped by a stage, or simply not ready (not voiced) when the edition was published. */
  why: "dropped" | "not_ready";
  /** True for stories in the lineup; false for candidates dropped before it (out of window, duplicates). */
  inLineup: boolean;
}

export interface EditionPlan {
  parts: PlannedPart[];
  leftOut: LeftOutStory[];
  complete: boolean;
  /** Why the edition is not complete yet (empty when it is). */
  waitingFor: string[];
}

/** Chapter titles of the greetings, in the edition's language (podcast apps show them as they are). */
const FRAME_TITLES = { zh: { intro: "开场", outro: "结束语" }, en: { intro: "Intro", outro: "Outro" } } as const;

const PENDING: StoryStatus[] = ["selected", "drafting", "reviewing", "approved"];
const STAGE_OF: Partial<Record<StoryStatus, string>> = { selected: "writing", drafting: "writing", reviewing: "review", approved: "voicing", voiced: "voicing" };

export function planEdition(state: EditionState): EditionPlan {
  const { edition, stories, scripts, segments } = state;
  const waitingFor: string[] = [];
  const byScript = segmentsByScript(segments);
  const stages = droppedStages(readNotes(edition.notes));

  const frame = (kind: "intro" | "outro", scriptId: string | null): PlannedPart | undefined => {
    const script = scripts.find((s) => s.id === scriptId);
    const segs = scriptId ? byScript.get(scriptId) : undefined;
    if (!script || !segs?.length) {
      waitingFor.push(`${kind} ${scriptId ? "not voiced yet" : "not written yet"}`);
      return undefined;
    }
    return { kind, id: kind, title: script.headline ?? FRAME_TITLES[edition.language === "en" ? "en" : "zh"][kind], script, segments: segs };
  };

  const storyParts: PlannedPart[] = [];
  const leftOut: LeftOutStory[] = [];
  const lineup = stories.filter((s) => s.rank !== null || (s.status !== "candidate" && s.status !== "dropped"));
  for (const story of [...lineup].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.id.localeCompare(b.id))) {
    const title = story.headline ?? story.title;
    if (story.status === "dropped") {
      leftOut.push({ storyId: story.id, title, rank: story.rank, stage: stages.get(story.id) ?? "unknown", reason: story.drop_reason ?? "dropped", why: "dropped", inLineup: true });
      continue;
    }
    const voiced = story.status === "voiced" ? voicedScript(story, scripts, byScript) : undefined;
    // The show pass's spoken link into the story plays first, inside the story's chapter.
    const link = scripts.find((s) => s.id === `${story.id}.transition` && s.kind === "transition");
    const linkSegments = link ? byScript.get(link.id) : undefined;
    if (voiced) {
      // Not voiced yet: wait for it, but at the deadline the story plays without it.
      if (link && !linkSegments?.length) waitingFor.push(`transition into story ${story.id} not voiced yet`);
      storyParts.push({ kind: "story", id: story.id, title, story, script: voiced.script, segments: [...(linkSegments ?? []), ...voiced.segments] });
      continue;
    }
    const reason =
      story.status === "voiced" ? "marked voiced but no audio is stored for its script" : `not ready at the deadline (still ${story.status})`;
    if (PENDING.includes(story.status) || story.status === "voiced") waitingFor.push(`story ${story.id} is ${story.status}`);
    leftOut.push({ storyId: story.id, title, rank: story.rank, stage: STAGE_OF[story.status] ?? story.status, reason, why: "not_ready", inLineup: true });
  }
  for (const story of stories)
    if (story.status === "dropped" && !lineup.includes(story))
      leftOut.push({ storyId: story.id, title: story.headline ?? story.title, rank: null, stage: stages.get(story.id) ?? "curation", reason: story.drop_reason ?? "dropped", why: "dropped", inLineup: false });

  if (edition.lineup_size === null) waitingFor.push("lineup not decided yet");
  else if (lineup.length < edition.lineup_size) waitingFor.push(`${edition.lineup_size - lineup.length} of ${edition.lineup_size} lineup stories not stored yet`);
  const intro = frame("intro", edition.intro_script_id);
  const outro = frame("outro", edition.outro_script_id);
  const parts = [...(intro ? [intro] : []), ...storyParts, ...(outro ? [outro] : [])];
  return { parts, leftOut, complete: waitingFor.length === 0, waitingFor };
}

/** The newest script version of the story that has audio. */
function voicedScript(story: Story, scripts: Script[], byScript: Map<string, SegmentInfo[]>): { script: Script; segments: SegmentInfo[] } | undefined {
  const candidates = scripts.filter((s) => s.story_id === story.id && s.kind === "story" && byScript.get(s.id)?.length).sort((a, b) => b.version - a.version);
  const script = candidates[0];
  return script ? { script, segments: byScript.get(script.id)! } : undefined;
}

/** Segments arrive ordered by (script_id, seq), so each list stays in speaking order. */
function segmentsByScript(segments: SegmentInfo[]): Map<string, SegmentInfo[]> {
  const m = new Map<string, SegmentInfo[]>();
  for (const seg of segments) {
    const list = m.get(seg.script_id);
    if (list) list.push(seg);
    else m.set(seg.script_id, [seg]);
  }
  return m;
}
