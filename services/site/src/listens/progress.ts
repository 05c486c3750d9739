// How far one session got, and which milestones a beacon moved it past. Pure: the consumer
// applies it under the session's row lock, so each milestone is counted once per session.
import type { StoryTimes } from "./edition-times.js";

export interface SessionState {
  /** The furthest playback position reported, in ms. Seeking ahead counts as getting there. */
  furthestMs: number;
  completed: boolean;
}

export type BeaconKind = "start" | "progress" | "complete";

/**
 * A story counts as heard to its end from this close to its end: the last progress beacon of a
 * listener who heard it through can be sent a moment before the end (timeupdate granularity).
 */
export const FINISH_TOLERANCE_MS = 500;

export interface Milestones {
  started: boolean;
  completed: boolean;
  /** Story ids whose start the session passed with this beacon. */
  reached: string[];
  /** Story ids the session heard to the end with this beacon. */
  finished: string[];
}

export function advance(before: SessionState | null, beacon: { kind: BeaconKind; positionMs: number }, durationMs: number | null): SessionState {
  const completed = (before?.completed ?? false) || beacon.kind === "complete";
  const reportedMs = beacon.kind === "complete" && durationMs !== null ? durationMs : beacon.positionMs;
  const positionMs = durationMs === null ? reportedMs : Math.min(reportedMs, durationMs);
  return { furthestMs: Math.max(before?.furthestMs ?? 0, Math.round(positionMs)), completed };
}

export function reached(state: SessionState, story: StoryTimes): boolean {
  return state.completed || state.furthestMs >= story.startMs;
}

export function finished(state: SessionState, story: StoryTimes): boolean {
  return state.completed || state.furthestMs >= story.endMs - FINISH_TOLERANCE_MS;
}

export function milestones(stories: StoryTimes[], before: SessionState | null, after: SessionState): Milestones {
  const passed = (test: (s: SessionState, story: StoryTimes) => boolean) =>
    stories.filter((story) => test(after, story) && !(before && test(before, story))).map((s) => s.id);
  return {
    started: before === null,
    completed: after.completed && !before?.completed,
    reached: passed(reached),
    finished: passed(finished),
  };
}

export function isEmpty(m: Milestones): boolean {
  return !m.started && !m.completed && !m.reached.length && !m.finished.length;
}
