// The show pass with a model: the headline editor (behind the fake OpenAI server, through the
// router and the real openai SDK) writes the rundown, transitions and recap. Its copy airs when
// it passes the gates; a copy naming a fact no approved script carries is refused, and the
// template copy airs with a note saying so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@newsroom/platform/db/connect";
import { ScriptKind } from "@newsroom/platform/events";
import { readNotes } from "@newsroom/platform/editorial/notes";
import type { ModelRole } from "@newsroom/platform/config/schema";
import { behave, startFakeOpenAI, type Behaviour, type FakeOpenAI } from "../fakes/openai-server.js";
import { drive, seedEdition, spokenText, storiesOf, usePipelineDb, type Pipeline } from "./harness.js";
import { editionYaml, NOW, STORIES } from "./fixtures.js";
import * as m from "./fake-models.js";

const pipelines = usePipelineDb();
let db: Db;
let fake: FakeOpenAI;
beforeAll(async () => {
  db = pipelines.db();
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake?.close();
});

const ENV = { USCO_KEY: "sk-test-usco-1234567", CNCO_KEY: "sk-test-cnco-7654321" };
let run = 0;

function pipeline(show: m.ShowCopyQuirks, behaviours: Record<string, Behaviour> = {}, chains: Partial<Record<ModelRole, string[]>> = {}, language: "zh" | "en" = "en"): Pipeline {
  const prefix = `show${++run}`;
  for (const [model, b] of Object.entries({ ...m.wellBehavedModels(), headline: m.headliner({}, show), ...behaviours })) fake.setBehaviour(`${prefix}-${model}`, b);
  const yaml = m.fakeModelsYaml(editionYaml({ stories: 3, language }), fake.url, prefix, { ...m.FAKE_CHAINS, ...chains });
  return pipelines.open(yaml, ENV);
}

const pick = (...titles: string[]) => STORIES.filter((s) => titles.some((t) => s.title.startsWith(t)));

async function showOf(editionId: string) {
  const edition = await db.selectFrom("editions").selectAll().where("id", "=", editionId).executeTakeFirstOrThrow();
  const script = (id: string) => db.selectFrom("scripts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const aired = (await storiesOf(db, editionId)).filter((s) => s.status === "approved").sort((a, b) => a.rank! - b.rank!);
  const transitions = await Promise.all(aired.map((s) => script(`${s.id}.transition`)));
  return {
    aired,
    intro: spokenText(await script(edition.intro_script_id!)),
    outro: spokenText(await script(edition.outro_script_id!)),
    transitions,
    notes: readNotes(edition.notes),
  };
}

describe("show pass with a model", () => {
  it("a rundown, transitions and recap the model writes within the approved scripts are what the listener hears", async () => {
    const p = pipeline({});
    const editionId = await seedEdition(p, NOW, pick("City council", "Central bank", "Heavy rain"));
    await drive(p);
    const show = await showOf(editionId);
    expect(show.aired).toHaveLength(3);
    const headlines = show.aired.map((s) => s.headline!);
    expect(show.intro).toContain(`Here is what we have for you: ${headlines.join("; ")}.`);
    expect(show.intro).not.toMatch(/Coming up: /);
    expect(show.transitions.map(spokenText)).toEqual(headlines.map((h, i) => (i ? `Now to our next story: ${h}.` : `We start with this: ${h}.`)));
    expect(show.transitions.every((t) => t.provider === "cnco" && t.model.endsWith("-headline"))).toBe(true);
    expect(show.outro).toContain(`Once more, the stories of this edition: ${headlines.join("; ")}.`);
    expect(show.notes.filter((n) => n.kind === "template_fallback")).toEqual([]);
  });

  it("a Chinese edition: the model's Chinese rundown (naming the lead), transitions and recap air", async () => {
    const p = pipeline({}, {}, {}, "zh");
    const editionId = await seedEdition(p, NOW, pick("国务院", "京沪"));
    await drive(p);
    const show = await showOf(editionId);
    expect(show.aired).toHaveLength(2);
    const headlines = show.aired.map((s) => s.headline!.replace(/。$/, ""));
    expect(show.intro).toContain(`林晓为您带来本期内容：${headlines.join("；")}。`);
    expect(show.transitions.map(spokenText)).toEqual([`先来看：${headlines[0]}。`, `再来看下一条：${headlines[1]}。`]);
    expect(show.outro).toContain(`本期要闻再说一遍：${headlines.join("；")}。`);
  });

  it("a rundown naming a figure and a name no approved script carries is refused: the template copy airs and a note says why", async () => {
    const p = pipeline({ addToRundown: "Mayor Tom Hendricks will open 9,999 new stations." });
    const editionId = await seedEdition(p, NOW, pick("City council", "Central bank", "Heavy rain"));
    await drive(p);
    const show = await showOf(editionId);
    expect(show.aired).toHaveLength(3);
    expect(fake.calls.some((c) => c.model === `show${run}-headline` && /story 1 headline/.test(m.userOf(c)))).toBe(true); // the model was asked
    const headlines = show.aired.map((s) => s.headline!.replace(/[.!?]$/, ""));
    expect(show.intro).not.toMatch(/Hendricks|9,999|Here is what we have/);
    expect(show.intro).toContain(`Coming up: ${headlines.slice(0, -1).join("; ")}; and ${headlines.at(-1)}.`);
    expect(show.transitions.map(spokenText)).toEqual(headlines.map((h, i) => `${["First", "Next", "And finally"][i]}: ${h}.`));
    expect(show.transitions.every((t) => t.provider === "template")).toBe(true);
    expect(show.outro).toMatch(/^A look back at the headlines: /);
    const refused = show.notes.filter((n) => n.kind === "template_fallback");
    expect(refused).toHaveLength(1);
    expect(refused[0].message).toMatch(/failed the gates \(grounding: .*Hendricks.*\).*template version is used/);
    expect(refused[0].message).toMatch(/9,999/);
  });

  it("a headline editor that cannot be reached for the show copy: the template copy airs and a note says so", async () => {
    const headline = m.headliner();
    const down: Behaviour = (call) => (m.blocksOf(call).some((b) => b.label === "story 1 headline") ? behave.fail(503, "overloaded") : headline);
    const p = pipeline({}, { headline: down });
    const editionId = await seedEdition(p, NOW, pick("City council", "Central bank"));
    await drive(p);
    const show = await showOf(editionId);
    expect(show.aired).toHaveLength(2);
    expect(show.intro).toMatch(/Coming up: /);
    expect(show.transitions.every((t) => t.provider === "template")).toBe(true);
    expect(show.notes.filter((n) => n.kind === "template_fallback").map((n) => n.message)).toEqual([
      "the en rundown, transitions and recap: no headline_editor model answered, so the template version is used",
    ]);
  });

  it("when the last story to settle is dropped by its writer, the model's copy is written for the stories that air", async () => {
    // The floods story's first draft adds a claim (so it is sent back); its revision finds every writer down.
    const plain = m.writer();
    const claims = m.writer({ addClaim: "The mayor resigned on the spot." });
    const writer: Behaviour = (call) => {
      if (!(m.blocksOf(call).find((b) => b.label === "story title")?.text ?? "").startsWith("Heavy rain")) return plain;
      return m.blocksOf(call).some((b) => b.label === "previous version") ? behave.fail(500, "writer unavailable") : claims;
    };
    const p = pipeline({}, { writer, writer2: writer }, { writer: ["cnco/writer", "usco/writer2"] });
    const editionId = await seedEdition(p, NOW, pick("City council", "Central bank", "Heavy rain"));
    const delivered = await drive(p);
    const settling = delivered.filter((d) => !d.consumer && (d.subject === "story.dropped" || (d.subject === "script.approved" && d.event.kind === ScriptKind.SCRIPT_KIND_STORY)));
    expect(settling.at(-1)?.subject).toBe("story.dropped"); // the drop settled the lineup
    const show = await showOf(editionId);
    expect(show.aired).toHaveLength(2);
    const headlines = show.aired.map((s) => s.headline!);
    expect(show.intro).toContain(`Here is what we have for you: ${headlines.join("; ")}.`);
    expect(show.intro).not.toMatch(/Heavy rain/);
    expect(show.transitions.every((t) => t.provider === "cnco")).toBe(true);
  });
});
