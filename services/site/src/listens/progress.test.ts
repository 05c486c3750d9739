import { describe, expect, it } from "vitest";
import { advance, FINISH_TOLERANCE_MS, milestones, type SessionState } from "./progress.js";

// Intro 0-2 s, three stories, outro to 14 s.
const STORIES = [
  { id: "a", headline: "A", startMs: 2_000, endMs: 5_000 },
  { id: "b", headline: "B", startMs: 5_000, endMs: 9_000 },
  { id: "c", headline: "C", startMs: 9_000, endMs: 12_000 },
];
const DURATION = 14_000;

/** Applies beacons in order and returns every milestone they moved, in order. */
function play(beacons: [kind: "start" | "progress" | "complete", positionMs: number][]): { state: SessionState | null; moved: string[] } {
  let state: SessionState | null = null;
  const moved: string[] = [];
  for (const [kind, positionMs] of beacons) {
    const after = advance(state, { kind, positionMs }, DURATION);
    const m = milestones(STORIES, state, after);
    if (m.started) moved.push("started");
    moved.push(...m.reached.map((id) => `reached ${id}`), ...m.finished.map((id) => `finished ${id}`));
    if (m.completed) moved.push("completed");
    state = after;
  }
  return { state, moved };
}

describe("a session's milestones", () => {
  it("counts each milestone once however many beacons repeat it", () => {
    const { moved } = play([
      ["start", 0],
      ["progress", 3_000],
      ["progress", 3_000],
      ["progress", 6_000],
      ["complete", 0],
      ["complete", 0],
      ["progress", 1_000],
    ]);
    expect(moved.sort()).toEqual(["started", "reached a", "finished a", "reached b", "finished b", "reached c", "finished c", "completed"].sort());
  });

  it("stops in story b: a heard, b reached but not finished, c never reached", () => {
    const { state, moved } = play([
      ["start", 0],
      ["progress", 7_000],
    ]);
    expect(moved.sort()).toEqual(["started", "reached a", "finished a", "reached b"].sort());
    expect(state).toEqual({ furthestMs: 7_000, completed: false });
  });

  it("a story counts as finished from just before its end, not earlier", () => {
    expect(play([["progress", 5_000 - FINISH_TOLERANCE_MS]]).moved).toContain("finished a");
    expect(play([["progress", 5_000 - FINISH_TOLERANCE_MS - 1]]).moved).not.toContain("finished a");
  });

  it("going back never undoes how far a session got, and positions past the end are held at the end", () => {
    const { state } = play([
      ["progress", 10_000],
      ["progress", 2_000],
    ]);
    expect(state!.furthestMs).toBe(10_000);
    expect(advance(null, { kind: "progress", positionMs: 99_000 }, DURATION).furthestMs).toBe(DURATION);
  });

  it("without the edition's times a session still starts and completes, with no story figures", () => {
    const after = advance(null, { kind: "complete", positionMs: 0 }, null);
    expect(milestones([], null, after)).toEqual({ started: true, completed: true, reached: [], finished: [] });
  });
});
