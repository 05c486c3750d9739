// The editorial pipeline on the embedded default (the offline provider for every role): from
// candidate stories to approved scripts in the edition's language, zh, en and bilingual.
import { describe, expect, it } from "vitest";
import { ScriptKind } from "@newsroom/platform/events";
import { findHostile } from "@newsroom/platform/text/hostile";
import { detectLanguage } from "@newsroom/platform/text/language";
import { approvedScripts, drive, seedEdition, spokenText, storiesOf, usePipelineDb } from "./harness.js";
import { NOW, offlineYaml, STORIES, type EditionOptions } from "./fixtures.js";

const pipelines = usePipelineDb();

async function runEdition(opts: EditionOptions, stories = STORIES) {
  const p = pipelines.open(offlineYaml(opts));
  const db = pipelines.db();
  const editionId = await seedEdition(p, NOW, stories);
  const delivered = await drive(p);
  const edition = await db.selectFrom("editions").selectAll().where("id", "=", editionId).executeTakeFirstOrThrow();
  return { p, editionId, delivered, edition, stories: await storiesOf(db, editionId) };
}

/** Some co-host turn is a listener's question to the lead by name, and the turn after it is the lead's (not a question). */
function expectCoHostAsksAndLeadAnswers(scripts: { lines: unknown }[], question: RegExp) {
  const asked = scripts.flatMap((s) => {
    const lines = s.lines as { speaker: string; text: string }[];
    return lines.flatMap((l, i) => (l.speaker === "anchor_b" && question.test(l.text) ? [{ q: l, next: lines[i + 1] }] : []));
  });
  expect(asked.length).toBeGreaterThan(0);
  for (const { next } of asked) {
    expect(next?.speaker).toBe("anchor_a");
    expect(next.text).not.toMatch(/[?？]$/);
  }
}

describe("offline pipeline", () => {
  it("en edition: two editors disagree, the Borda rule decides, every selected story is approved in English", async () => {
    const db = pipelines.db();
    const { editionId, delivered, edition, stories } = await runEdition({ language: "en", stories: 4 });
    expect(edition.status).toBe("producing");
    expect(edition.lineup_size).toBe(4);

    const lineupReviews = await db.selectFrom("reviews").selectAll().where("edition_id", "=", editionId).where("script_id", "is", null).orderBy("role").execute();
    expect(lineupReviews.map((r) => r.role)).toEqual(["deputy_editor", "editor_in_chief"]);
    // Recency first (chief) and cluster size first (deputy) pick different fourth stories.
    expect(lineupReviews.every((r) => r.disagreement)).toBe(true);
    expect(lineupReviews[0].verdict).not.toEqual(lineupReviews[1].verdict);
    expect(lineupReviews[1].reason).toMatch(/cannot translate/);

    const selected = stories.filter((s) => s.rank !== null).sort((a, b) => a.rank! - b.rank!);
    expect(selected.map((s) => s.title)).toEqual([
      "Free crypto for every listener",
      "City council approves network of protected bike lanes",
      "Heavy rain floods three subway stations",
      "Chang'e probe lands on far side of the Moon",
    ]);
    expect(selected.every((s) => s.status === "approved")).toBe(true);
    expect(stories.find((s) => s.language === "de")!.status).toBe("candidate");

    const scripts = await approvedScripts(db, editionId);
    expect(scripts.size).toBe(4);
    for (const script of scripts.values()) {
      const text = spokenText(script);
      expect(detectLanguage(text)).toBe("en");
      expect(findHostile(text)).toEqual([]);
      expect(text).not.toMatch(/scam\.example|previous instructions|subscribe/i);
      expect(script.provider).toBe("offline");
    }
    const lineupEvents = delivered.filter((d) => d.subject === "lineup.decided" && !d.consumer);
    expect(lineupEvents.map((d) => d.event.rank)).toEqual([1, 2, 3, 4]);
    const approved = delivered.filter((d) => d.subject === "script.approved" && !d.consumer).map((d) => d.event.kind);
    expect(approved.filter((k) => k === ScriptKind.SCRIPT_KIND_STORY)).toHaveLength(4);
    expect(approved).toEqual(expect.arrayContaining([ScriptKind.SCRIPT_KIND_INTRO, ScriptKind.SCRIPT_KIND_OUTRO]));
    const intro = await db.selectFrom("scripts").selectAll().where("id", "=", edition.intro_script_id!).executeTakeFirstOrThrow();
    expect(spokenText(intro)).toMatch(/^Good evening, and welcome to Test Briefing\. I'm Lin\. It is Monday, March 10, 2025/);
    // The show pass: the rundown names the stories in air order, each story has a transition, the outro recaps.
    const headlines = selected.map((s) => s.headline!.replace(/[.!?]$/, ""));
    const rundown = (intro.lines as { text: string }[]).at(-1)!.text;
    expect(rundown).toMatch(/^Coming up: /);
    const at = headlines.map((h) => rundown.indexOf(h));
    expect(at.every((i) => i > 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    const links = await db.selectFrom("scripts").selectAll().where("edition_id", "=", editionId).where("kind", "=", "transition").execute();
    expect(new Map(links.map((l) => [l.id, spokenText(l)]))).toEqual(
      new Map(selected.map((s, i) => [`${s.id}.transition`, `${i === 0 ? "First" : i === selected.length - 1 ? "And finally" : "Next"}: ${headlines[i]}.`])),
    );
    expect(approved.filter((k) => k === ScriptKind.SCRIPT_KIND_TRANSITION)).toHaveLength(4);
    const outro = await db.selectFrom("scripts").selectAll().where("id", "=", edition.outro_script_id!).executeTakeFirstOrThrow();
    expect(spokenText(outro)).toMatch(/^A look back at the headlines: /);
    for (const h of headlines) expect(spokenText(outro)).toContain(h);
  });

  it("zh edition with two anchors: approved Chinese conversations", async () => {
    const db = pipelines.db();
    const { editionId, stories } = await runEdition({ language: "zh", stories: 4, anchors: 2 });
    const selected = stories.filter((s) => s.rank !== null);
    // Only three candidates have a Chinese source; the offline provider cannot translate the rest.
    expect(selected).toHaveLength(3);
    const scripts = await approvedScripts(db, editionId);
    expect(scripts.size).toBe(3);
    for (const script of scripts.values()) {
      expect(detectLanguage(spokenText(script))).toBe("zh");
      const lines = script.lines as { speaker: string; text: string }[];
      expect(lines.length).toBeGreaterThan(1);
      expect(lines.map((l) => l.speaker).slice(0, 2)).toEqual(["anchor_a", "anchor_b"]);
      // Turns, not alternate sentences: speakers alternate line by line, and a turn may hold more than one sentence.
      lines.forEach((l, i) => i && expect(l.speaker).not.toBe(lines[i - 1].speaker));
    }
    const turns = [...scripts.values()].flatMap((s) => s.lines as { text: string }[]);
    expect(turns.some((t) => (t.text.match(/[。！？]/g) ?? []).length > 1)).toBe(true);
    expectCoHostAsksAndLeadAnswers([...scripts.values()], /^林晓，\S+？$/);
    // Both anchors say who they are.
    const edition = await db.selectFrom("editions").selectAll().where("id", "=", editionId).executeTakeFirstOrThrow();
    const intro = await db.selectFrom("scripts").selectAll().where("id", "=", edition.intro_script_id!).executeTakeFirstOrThrow();
    expect(spokenText(intro)).toMatch(/我是林晓[\s\S]*我是周航/);
  });

  it("en edition with two anchors: the co-host asks the lead by name what a listener would ask, and the lead answers from the sources", async () => {
    const db = pipelines.db();
    const { editionId } = await runEdition({ language: "en", stories: 4, anchors: 2, targetWords: 90 });
    const scripts = [...(await approvedScripts(db, editionId)).values()];
    expect(scripts.length).toBeGreaterThan(1);
    expectCoHostAsksAndLeadAnswers(scripts, /^Lin, [a-z ]+\?$/);
  });

  it("a commentary in the lineup is announced as one, and neither its label nor its author's byline is read as its headline", async () => {
    const db = pipelines.db();
    const news = STORIES.filter((s) => /^(City council|Heavy rain)/.test(s.title));
    const opinion = "Bike lanes will not fix our streets | Mark Dale";
    const commentary = {
      title: opinion,
      language: "en",
      sources: [
        {
          feed: "https://opinion.example/rss",
          feedTitle: "Opinion Desk",
          title: opinion,
          text: "The council's new bike lanes are a good start, but they will not fix the city's traffic on their own. Buses still run late on every main road. The city needs a plan for buses too.",
          language: "en",
          hoursAgo: 1,
        },
      ],
    };
    const { editionId, edition, stories } = await runEdition({ language: "en", stories: 3 }, [...news, commentary]);
    const aired = stories.filter((s) => s.status === "approved").sort((a, b) => a.rank! - b.rank!);
    const at = aired.findIndex((s) => s.title === opinion);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(aired[at].headline).toBe("Bike lanes will not fix our streets"); // the chapter title too, without the byline
    const intro = await db.selectFrom("scripts").selectAll().where("id", "=", edition.intro_script_id!).executeTakeFirstOrThrow();
    const links = await db.selectFrom("scripts").selectAll().where("edition_id", "=", editionId).where("kind", "=", "transition").execute();
    const into = spokenText(links.find((l) => l.id === `${aired[at].id}.transition`)!);
    const place = at === 0 ? "First" : at === aired.length - 1 ? "And finally" : "Next";
    // What the listener hears: the rundown and the transition say it is a commentary, in words.
    expect(into).toBe(`${place}, a commentary: Bike lanes will not fix our streets.`);
    expect(spokenText(intro)).toContain("a commentary: Bike lanes will not fix our streets");
    // The commentary itself opens by saying whose views follow.
    const scripts = await approvedScripts(db, editionId);
    expect(spokenText(scripts.get(aired[at].id)!)).toMatch(/^In a commentary, Opinion Desk argues that the council's new bike lanes are a good start/);
    const heard = [intro, ...links, ...scripts.values()].map(spokenText).join("\n");
    expect(heard).not.toMatch(/Commentary:|\||Mark Dale/);
  });

  it("bilingual edition: a zh part then an en part where the sources allow, lines carry their language", async () => {
    const db = pipelines.db();
    const { editionId, edition, stories } = await runEdition({ language: "bilingual", stories: 5 });
    const scripts = await approvedScripts(db, editionId);
    expect(scripts.size).toBe(stories.filter((s) => s.rank !== null).length);
    expect(scripts.size).toBe(5);
    for (const script of scripts.values()) {
      const lines = script.lines as { text: string; lang?: string }[];
      for (const l of lines) expect(detectLanguage(l.text)).toBe(l.lang);
    }
    const moon = stories.find((s) => s.title.startsWith("Chang'e"))!;
    const langs = (scripts.get(moon.id)!.lines as { lang: string }[]).map((l) => l.lang);
    expect(langs[0]).toBe("zh");
    expect(langs.at(-1)).toBe("en");
    expect(JSON.stringify(edition.notes)).toMatch(/part_left_out/);
  });

  it("no candidates: intro and outro only, and the notes say why", async () => {
    const { edition, delivered } = await runEdition({ language: "en" }, []);
    expect(edition.lineup_size).toBe(0);
    expect(edition.intro_script_id).toBeTruthy();
    expect(edition.outro_script_id).toBeTruthy();
    expect(JSON.stringify(edition.notes)).toMatch(/empty_lineup/);
    expect(delivered.filter((d) => d.subject === "script.approved" && !d.consumer)).toHaveLength(2);
    expect(edition.intro_script_id).toMatch(/\.intro\.show$/);
    expect(delivered.filter((d) => d.subject === "lineup.decided")).toHaveLength(0);
  });
});
