// The offline editors rank on the reach the model editors see (distinct outlets), not on the
// raw count of sources: five feeds of one outlet are one voice.
import { describe, expect, it } from "vitest";
import { deputyEditorTask } from "../roles/deputy-editor.js";
import { editorInChiefTask } from "../roles/editor-in-chief.js";
import type { Candidate, LineupInput } from "./candidates.js";

const candidate = (id: string, outlets: string[], sourceCount: number, latestPublished: string): Candidate => ({
  id,
  title: `story ${id}`,
  summary: "",
  languages: ["en"],
  sourceCount,
  outlets,
  firstPublished: "2018-09-18T02:00:00.000Z",
  latestPublished,
});

// One outlet's five feeds; three outlets with one report each; one outlet, one report.
const ONE_OUTLET_MANY_FEEDS = candidate("a", ["The Guardian"], 5, "2018-09-18T09:00:00.000Z");
const THREE_OUTLETS = candidate("b", ["Reuters", "BBC News", "NPR"], 3, "2018-09-18T09:00:00.000Z");
const LONE = candidate("c", ["NPR"], 1, "2018-09-18T08:00:00.000Z");

const input = (candidates: Candidate[], stories: number): LineupInput => ({ language: "en", slot: "evening", now: "2018-09-18T12:00:00Z", stories, audience: "listeners", candidates });

describe("offline lineup ranking", () => {
  it("deputy editor: the most distinct outlets first, however many feeds one outlet has", () => {
    const opinion = deputyEditorTask.offline!(input([ONE_OUTLET_MANY_FEEDS, LONE, THREE_OUTLETS], 3));
    expect(opinion.picks.map((p) => p.id)).toEqual(["b", "a", "c"]);
    expect(opinion.picks[0].why).toMatch(/^3 outlet\(s\), 3 source\(s\)/);
    expect(opinion.reason).toMatch(/reach/);
  });

  it("editor-in-chief: newest first, and between equally new stories the wider reach", () => {
    const opinion = editorInChiefTask.offline!(input([LONE, ONE_OUTLET_MANY_FEEDS, THREE_OUTLETS], 2));
    expect(opinion.picks.map((p) => p.id)).toEqual(["b", "a"]);
  });
});
