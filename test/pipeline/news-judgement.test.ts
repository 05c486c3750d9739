// News judgement as the models see it, captured at the OpenAI-compatible test vendors: both
// editors get the audience, the news values and each story's reach across outlets; the
// candidates come in a neutral order of their own; the deputy ranks without the chief's picks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@newsroom/platform/db/connect";
import { behave, startFakeOpenAI, type Behaviour, type FakeOpenAI, type RecordedCall } from "../fakes/openai-server.js";
import { drive, seedEdition, storiesOf, usePipelineDb } from "./harness.js";
import { editionYaml, NOW, STORIES } from "./fixtures.js";
import * as m from "./fake-models.js";

const pipelines = usePipelineDb();
let db: Db;
const vendors: Record<"openai" | "deepseek", FakeOpenAI> = {} as never;
beforeAll(async () => {
  db = pipelines.db();
  for (const v of ["openai", "deepseek"] as const) vendors[v] = await startFakeOpenAI();
});
afterAll(async () => {
  for (const f of Object.values(vendors)) await f?.close();
});

const MARK = "CHIEF-ONLY-7Q";
const AUDIENCE = "commuters in Harbour City who ride the subway to work";
let run = 0;

/** The lineup step alone (edition.ingested), with the chief on openai and the deputy on deepseek. */
function lineupPipeline(chief: Behaviour, audience?: string, opts: { deputy?: Behaviour; chiefTimeoutMs?: number } = {}) {
  const prefix = `nj${++run}`;
  vendors.openai.setBehaviour(`${prefix}-chief`, chief);
  vendors.deepseek.setBehaviour(`${prefix}-chief`, m.chief());
  vendors.deepseek.setBehaviour(`${prefix}-deputy`, opts.deputy ?? m.agreeingDeputy());
  vendors.openai.setBehaviour(`${prefix}-deputy`, m.agreeingDeputy());
  for (const v of Object.values(vendors)) v.setBehaviour(`${prefix}-headline`, m.headliner());
  const yaml = editionYaml({ stories: 3 }).replace("edition:\n", `edition:\n${audience ? `  audience: ${audience}\n` : ""}`) +
    `providers:
  openai: {camp: us, base_url: "${vendors.openai.url}", api_key_env: OPENAI_KEY, max_retries: 0, timeout_ms: ${opts.chiefTimeoutMs ?? 60000}}
  deepseek: {camp: cn, base_url: "${vendors.deepseek.url}", api_key_env: DEEPSEEK_KEY, max_retries: 0}
roles:
  default: [openai/${prefix}-headline, deepseek/${prefix}-headline]
${["fact_checker", "cross_reviewer", "freshness_judge", "arbiter"].map((r) => `  ${r}: [deepseek/${prefix}-headline, openai/${prefix}-headline]`).join("\n")}
  editor_in_chief: [openai/${prefix}-chief, deepseek/${prefix}-chief]
  deputy_editor: [deepseek/${prefix}-deputy, openai/${prefix}-deputy]
`;
  const p = pipelines.open(yaml, { OPENAI_KEY: "sk-test-1", DEEPSEEK_KEY: "sk-test-2" });
  p.registrations = p.registrations.filter((r) => r.event === "edition.ingested");
  const calls = (vendor: keyof typeof vendors, role: string) => vendors[vendor].calls.filter((c) => c.model === `${prefix}-${role}`);
  return { p, calls };
}

/** Candidate titles in the order a request shows them, by their "story N" numbers. */
const shownTitles = (call: RecordedCall) => m.blocksOf(call).filter((b) => b.label.startsWith("story ")).map((b) => b.text.split("\n")[0]);

/** A chief that picks the first three stories it is shown and says so with a mark no one else could know. */
const markingChief: Behaviour = () =>
  behave.ok(JSON.stringify({ picks: ["1", "2", "3"].map((id) => ({ id, why: `${MARK} pick ${id}` })), reason: `${MARK}: the first three` }));

describe("news judgement in the lineup", () => {
  it("the deputy's request carries none of the chief's picks; both are told the audience, the news values and each story's outlets", async () => {
    const { p, calls } = lineupPipeline(markingChief, AUDIENCE);
    const editionId = await seedEdition(p, NOW, STORIES);
    await drive(p);
    const [chief] = calls("openai", "chief");
    const [deputy] = calls("deepseek", "deputy");
    expect(chief && deputy).toBeTruthy();

    // Nothing of the chief's answer reaches the deputy, and outside the candidates its request is the bare template.
    expect(JSON.stringify(deputy.body)).not.toContain(MARK);
    expect(m.userOf(deputy).replace(/<<<DATA [\s\S]*?<<<END DATA>>>/g, "").replace(/\n+/g, "\n")).toMatch(
      /^now: \S+\nedition language: en\nstories to pick: 3\nReply as JSON: \{"picks":\[\{"id":"\.\.\.","why":"\.\.\."\}\],"reason":"\.\.\."\}$/,
    );
    expect(m.systemOf(deputy)).not.toMatch(/editor-in-chief's picks|first opinion/i);

    for (const call of [chief, deputy]) {
      const system = m.systemOf(call);
      expect(system).toContain(AUDIENCE);
      for (const value of ["impact", "novelty", "reach", "proximity", "vary the topics"]) expect(system).toContain(value);
      const bike = m.blocksOf(call).find((b) => b.text.startsWith("City council approves"))!;
      expect(bike.text).toMatch(/reach: 2 outlets \(Harbour City Local, Wire Service\), 2 reports; en; first \S+, latest \S+/);
      const moon = m.blocksOf(call).find((b) => b.text.startsWith("Chang'e probe"))!;
      expect(moon.text).toMatch(/reach: 2 outlets \(Space Desk, 航天新闻\), 2 reports; en\/zh;/);
      const bank = m.blocksOf(call).find((b) => b.text.startsWith("Central bank"))!;
      expect(bank.text).toMatch(/reach: 1 outlet \(Wire Service\), 1 report; en; latest /);
    }

    // The chief's "1, 2, 3" are the first three it was shown (in its own order), merged with the deputy's newest-first picks.
    const reviews = await db.selectFrom("reviews").selectAll().where("edition_id", "=", editionId).where("story_id", "is", null).execute();
    const chiefReview = reviews.find((r) => r.role === "editor_in_chief")!;
    const stories = await storiesOf(db, editionId);
    const titleOf = (id: string) => stories.find((s) => s.id === id)?.title;
    expect(chiefReview.verdict.split(",").map(titleOf)).toEqual(shownTitles(chief).slice(0, 3));
    expect(reviews.find((r) => r.role === "deputy_editor")!.provider).toBe("deepseek");
  });

  it("candidates come in an order that is neither newest first nor by story id, one per editor, the same when the edition is made again", async () => {
    const first = lineupPipeline(m.chief());
    const editionId = await seedEdition(first.p, NOW, STORIES);
    const ingested = await db.selectFrom("outbox").select("id").where("subject", "=", "edition.ingested").orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    await drive(first.p);
    const [chief] = first.calls("openai", "chief");
    const [deputy] = first.calls("deepseek", "deputy");
    const stories = await storiesOf(db, editionId);
    const byId = [...stories].sort((a, b) => a.id.localeCompare(b.id)).map((s) => s.title);
    const newestFirst = STORIES.map((s) => ({ title: s.title, latest: Math.min(...s.sources.map((x) => x.hoursAgo)) }))
      .sort((a, b) => a.latest - b.latest)
      .map((s) => s.title);
    const shown = shownTitles(chief);
    expect([...shown].sort()).toEqual([...byId].sort());
    expect(shown).not.toEqual(byId);
    expect(shown).not.toEqual(newestFirst);
    expect(shownTitles(deputy)).not.toEqual(shown);

    // The same edition decided again (its lineup reset): the same order for each editor.
    await db.updateTable("editions").set({ lineup_size: null }).where("id", "=", editionId).execute();
    await db.updateTable("stories").set({ status: "candidate", rank: null }).where("edition_id", "=", editionId).execute();
    await db.deleteFrom("reviews").where("edition_id", "=", editionId).execute();
    await db.deleteFrom("scripts").where("edition_id", "=", editionId).execute();
    await db.deleteFrom("processed_events").where("key", "=", `ingested:${editionId}`).execute();
    await db.updateTable("outbox").set({ published_at: null }).where("id", "=", ingested.id).execute();
    const again = lineupPipeline(m.chief());
    await drive(again.p);
    expect(shownTitles(again.calls("openai", "chief")[0])).toEqual(shown);
    expect(shownTitles(again.calls("deepseek", "deputy")[0])).toEqual(shownTitles(deputy));
  });

  it("the deputy is asked while the chief is still thinking: it does not wait for the chief's answer", async () => {
    // The chief's first model never answers (it times out after 10 s, then the next model ranks).
    // Asked in turn, the deputy would come after that fallback; side by side, before it.
    let chiefFallbacksBeforeDeputy = -1;
    const deputy: Behaviour = (call) => {
      chiefFallbacksBeforeDeputy = vendors.deepseek.calls.filter((c) => c.model === call.model.replace(/-deputy$/, "-chief")).length;
      return m.agreeingDeputy();
    };
    const { p, calls } = lineupPipeline(behave.hang(), undefined, { deputy, chiefTimeoutMs: 10_000 });
    const editionId = await seedEdition(p, NOW, STORIES);
    await drive(p);
    expect(calls("openai", "chief")).toHaveLength(1);
    expect(calls("deepseek", "chief")).toHaveLength(1);
    expect(chiefFallbacksBeforeDeputy).toBe(0);
    const reviews = await db.selectFrom("reviews").select(["role", "provider"]).where("edition_id", "=", editionId).where("story_id", "is", null).execute();
    // The chief ended on the deputy's vendor, so the deputy was asked again, away from it.
    expect(reviews.map((r) => [r.role, r.provider]).sort()).toEqual([["deputy_editor", "openai"], ["editor_in_chief", "deepseek"]]);
  }, 60_000);
});
