// The rule of memory across editions and the lineup's second look, without a database: a
// story the show aired airs again only with a newer source, as an update; two picks about one
// event become one story; freed places go to the next candidates.
import { describe, expect, it } from "vitest";
import type { Candidate } from "./candidates.js";
import { judgeRepeat, type AiredStory } from "./memory.js";
import { recheckLineup, type CandidateSource } from "./recheck.js";
import { Rarity, storyTerms } from "./same-event.js";

const MORNING = "2025-03-10T07:00:00.000Z";
const FLOOD = { title: "Heavy rain floods three subway stations", text: "Heavy overnight rain flooded three subway stations on the Green Line. Trains between Central and Riverside were suspended for six hours. The weather service recorded 110 millimetres of rain in twelve hours." };
const FLOOD_LATER = { title: "Green Line stations reopen after the flood", text: "The three Green Line subway stations flooded by 110 millimetres of rain reopened on Thursday evening. Trains between Central and Riverside run again, the transit authority said." };
const RATES = { title: "Central bank holds interest rate at 3.5 percent", text: "The central bank kept its benchmark interest rate at 3.5 percent. Governor Lena Park said inflation had fallen to 2.4 percent in October." };
const BRIDGE = { title: "Harbour bridge closes for repairs", text: "The Harbour Bridge will close for 14 days from Monday while engineers replace 220 metres of cables, the roads agency said." };
const FERRY = { title: "Ferry terminal opens with crossings to Stone Island", text: "The new ferry terminal opened with two daily crossings to Stone Island. It cost 45 million dollars." };

const aired = (id: string, src: { title: string; text: string }, at = MORNING): AiredStory => ({
  before: { story_id: id, edition_id: "2025-03-10-morning", slot: "morning", aired_at: at, headline: src.title, script: src.text },
  terms: storyTerms({ title: src.title, sources: [src] }),
  sourceKeys: new Set([`url:https://wire.example/${id}`]),
});
/** A source row as the candidate's (its own URL: only the terms tie it to an aired story). */
const row = (id: string, published: string, url = `https://other.example/${id}`) => ({ id, published_at: published, url, guid: null, feed: "https://other.example/rss", title: id });

describe("memory across editions (rule)", () => {
  const morning = [aired("m-flood", FLOOD), aired("m-rates", RATES)];
  const judge = (src: { title: string; text: string }, published: string[]) => {
    const terms = storyTerms({ title: src.title, sources: [src] });
    const rarity = new Rarity([terms, ...morning.map((a) => a.terms), storyTerms({ title: BRIDGE.title, sources: [BRIDGE] })]);
    return judgeRepeat(terms, published.map((p, i) => row(`src${i + 1}`, p)), morning, rarity);
  };

  it("the same event with no source after the airing is a repeat", () => {
    const r = judge(FLOOD, ["2025-03-10T05:00:00Z"]);
    expect(r.verdict).toBe("repeat");
    expect(r.verdict === "repeat" && r.aired.before.story_id).toBe("m-flood");
  });

  it("the same event with a newer source is an update, naming the new sources", () => {
    const r = judge({ title: FLOOD_LATER.title, text: `${FLOOD.text} ${FLOOD_LATER.text}` }, ["2025-03-10T05:00:00Z", "2025-03-10T16:00:00Z"]);
    expect(r).toMatchObject({ verdict: "update", aired: { story_id: "m-flood", new_sources: ["src2"], slot: "morning" } });
  });

  it("a source published at the very time of the airing is not new", () => {
    expect(judge(RATES, [MORNING]).verdict).toBe("repeat");
  });

  it("another event is fresh, however new", () => {
    expect(judge(BRIDGE, ["2025-03-10T04:00:00Z"]).verdict).toBe("fresh");
  });

  it("the latest airing counts", () => {
    const both = [aired("y-flood", FLOOD, "2025-03-09T18:00:00.000Z"), aired("m-flood", FLOOD)];
    const terms = storyTerms({ title: FLOOD.title, sources: [FLOOD] });
    const r = judgeRepeat(terms, [row("s", "2025-03-10T03:00:00Z")], both, new Rarity([terms, ...both.map((a) => a.terms)]));
    expect(r.verdict === "repeat" && r.aired.before.story_id).toBe("m-flood");
  });

  it("a source the aired story carried ties the candidate to it, whatever the wording", () => {
    const terms = storyTerms({ title: FERRY.title, sources: [FERRY] });
    const r = judgeRepeat(terms, [row("s", "2025-03-10T03:00:00Z", "https://wire.example/m-rates")], morning, new Rarity([terms, ...morning.map((a) => a.terms)]));
    expect(r.verdict === "repeat" && r.aired.before.story_id).toBe("m-rates");
  });
});

describe("the lineup's second look", () => {
  const cand = (id: string, src: { title: string; text: string }, published: string, languages = ["en"]) => ({
    candidate: { id, title: src.title, summary: src.text.slice(0, 200), languages, sourceCount: 1, outlets: ["Wire"], firstPublished: published, latestPublished: published } satisfies Candidate,
    source: { ...row(`${id}-src`, published), story_id: id, title: src.title, text: src.text } satisfies CandidateSource,
  });
  const later = cand("later", FLOOD_LATER, "2025-03-10T16:00:00.000Z");
  const flood = cand("flood", FLOOD, "2025-03-10T05:00:00.000Z");
  const rates = cand("rates", RATES, "2025-03-10T04:00:00.000Z");
  const bridge = cand("bridge", BRIDGE, "2025-03-10T15:00:00.000Z");
  const ferry = cand("ferry", FERRY, "2025-03-10T02:00:00.000Z");
  const all = [later, bridge, flood, rates, ferry];
  const input = (lineup: string[], airedStories: AiredStory[] = []) => ({
    lineup,
    candidates: all.map((c) => c.candidate),
    sources: all.map((c) => c.source),
    aired: airedStories,
    canFill: () => true,
  });

  it("merges two picks about one event and fills the place with the next candidate", () => {
    const r = recheckLineup(input(["later", "flood", "bridge"]));
    expect(r.lineup).toEqual(["later", "bridge", "rates"]);
    expect(r.merges).toEqual([{ into: "later", from: "flood", sourceIds: ["flood-src"] }]);
    expect(r.notes).toEqual([expect.objectContaining({ kind: "same_event", story_id: "later", merged_story_id: "flood" })]);
  });

  it("leaves out a repeat, keeps the story with news as an update, and fills from fresh candidates", () => {
    const r = recheckLineup(input(["later", "flood", "rates"], [aired("m-flood", FLOOD), aired("m-rates", RATES)]));
    // flood joins later; later is an update (its own source is newer); rates is a repeat; bridge fills.
    expect(r.lineup).toEqual(["later", "bridge", "ferry"]);
    expect([...r.updates.keys()]).toEqual(["later"]);
    expect(r.updates.get("later")).toMatchObject({ story_id: "m-flood", new_sources: ["later-src"] });
    expect(r.notes.map((n) => n.kind).sort()).toEqual(["aired_update", "repeat_left_out", "same_event"]);
  });

  it("a repeat is not a filler either", () => {
    const r = recheckLineup(input(["bridge", "flood"], [aired("m-rates", RATES), aired("m-flood", FLOOD)]));
    expect(r.lineup).toEqual(["bridge", "later"]);
    expect(r.notes.flatMap((n) => (n.kind === "repeat_left_out" ? [n.story_id] : []))).toEqual(["flood"]);
  });

  it("says so when no candidate can take a freed place", () => {
    const r = recheckLineup({ ...input(["later", "flood"]), canFill: () => false });
    expect(r.lineup).toEqual(["later"]);
    expect(r.notes.map((n) => n.kind)).toEqual(["same_event", "lineup_fallback"]);
  });
});

describe("the writer of an update", () => {
  it("is told what aired before and which sources are new", async () => {
    const { writerTask } = await import("../roles/writer.js");
    const update = { story_id: "m-flood", edition_id: "2025-03-10-morning", slot: "morning" as const, aired_at: MORNING, headline: FLOOD.title, script: "Three subway stations flooded.", new_sources: ["s2"] };
    const sources = [{ id: "s2", feed: "Wire", title: FLOOD_LATER.title, text: FLOOD_LATER.text, language: "en", publishedAt: "2025-03-10T16:00:00.000Z" }];
    for (const language of ["en", "zh"] as const) {
      const prompt = writerTask.prompt({ language, targetWords: 60, anchors: 1, title: FLOOD_LATER.title, sources, update });
      expect(prompt.user).toContain("Three subway stations flooded.");
      expect(prompt.user).toMatch(language === "en" ? /This is an update: .*morning edition.*\(s2\)/ : /这是一条更新：.*早间.*（s2）/);
      const plain = writerTask.prompt({ language, targetWords: 60, anchors: 1, title: FLOOD_LATER.title, sources });
      expect(plain.user).not.toMatch(/update|更新/i);
    }
  });
});
