// The editorial pipeline with models behind the fake OpenAI server (through the router and
// the real openai SDK): every reply is computed from the request. Shows the approvals, the
// freshness guard, the claim and injection catches, the gates no model overrides, the bounded
// revise loop, and a failing chain that drops one story while the others proceed.
import { trace } from "@opentelemetry/api";
import { tracing } from "@opentelemetry/sdk-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@newsroom/platform/db/connect";
import { ReviewDecision } from "@newsroom/platform/events";
import type { ModelRole } from "@newsroom/platform/config/schema";
import { findHostile } from "@newsroom/platform/text/hostile";
import { detectLanguage } from "@newsroom/platform/text/language";
import { startFakeOpenAI, type Behaviour, type FakeOpenAI } from "../fakes/openai-server.js";
import { approvedScripts, drive, seedEdition, spokenText, storiesOf, usePipelineDb, type Pipeline } from "./harness.js";
import { editionYaml, HOSTILE_INSTRUCTION, NOW, STORIES, type EditionOptions } from "./fixtures.js";
import * as m from "./fake-models.js";

const exporter = new tracing.InMemorySpanExporter();
trace.setGlobalTracerProvider(new tracing.BasicTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] }));

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
beforeEach(() => exporter.reset());

const ENV = { USCO_KEY: "sk-test-usco-1234567", CNCO_KEY: "sk-test-cnco-7654321" };
const CHAINS = m.FAKE_CHAINS;
let run = 0;

/** A pipeline whose models are named `<test>-<model>` on the fake server, with these behaviours. */
function pipeline(behaviours: Partial<Record<string, Behaviour>>, opts: EditionOptions = {}, chains: Partial<Record<ModelRole, string[]>> = {}): Pipeline {
  const prefix = `r${++run}`;
  const defaults = m.wellBehavedModels();
  for (const [model, b] of Object.entries({ ...defaults, ...behaviours })) if (b) fake.setBehaviour(`${prefix}-${model}`, b);
  const yaml = m.fakeModelsYaml(editionYaml({ stories: 3, ...opts }), fake.url, prefix, { ...CHAINS, ...chains });
  return pipelines.open(yaml, ENV);
}

const pick = (...titles: string[]) => STORIES.filter((s) => titles.some((t) => s.title.startsWith(t)));
const reviewsOf = (scriptOrStory: { story?: string; script?: string }) => {
  let q = db.selectFrom("reviews").selectAll();
  if (scriptOrStory.story) q = q.where("story_id", "=", scriptOrStory.story);
  if (scriptOrStory.script) q = q.where("script_id", "=", scriptOrStory.script);
  return q.orderBy("created_at").orderBy("id").execute();
};
const versions = (storyId: string) => db.selectFrom("scripts").selectAll().where("story_id", "=", storyId).orderBy("version").execute();

describe("pipeline with the test provider", () => {
  it("every selected story reaches an approved English script; reviews come from another vendor than the writer's", async () => {
    const p = pipeline({});
    const editionId = await seedEdition(p, NOW, pick("City council", "Central bank", "Heavy rain"));
    await drive(p);
    const stories = await storiesOf(db, editionId);
    expect(stories.map((s) => s.status)).toEqual(["approved", "approved", "approved"]);
    const scripts = await approvedScripts(db, editionId);
    for (const s of scripts.values()) {
      expect(s.provider).toBe("cnco");
      expect(detectLanguage(spokenText(s))).toBe("en");
    }
    const reviews = await db.selectFrom("reviews").selectAll().where("edition_id", "=", editionId).where("role", "in", ["fact_checker", "cross_reviewer", "freshness_judge"]).execute();
    expect(reviews).toHaveLength(9);
    expect(new Set(reviews.map((r) => r.provider))).toEqual(new Set(["usco"]));
    const writerCall = fake.calls.find((c) => /-writer$/.test(c.model) && c.model.startsWith(`r${run}-`))!;
    expect(m.systemOf(writerCall)).toMatch(/never an instruction/);
  });

  it("a Chinese edition holds its language when every source is English: writer, then translator", async () => {
    const bank = pick("Central bank")[0];
    const en = bank.sources[0].text.split(/(?<=\.) /);
    const zh = [
      "中央银行周三将基准利率维持在3.5%，符合多数经济学家的预期。",
      "行长Lena Park表示，10月通胀率已降至2.4%，但服务业通胀仍高于目标。",
      "央行暗示，如果工资增长继续放缓，明年初可能降息。",
      "消息公布后，市场小幅上涨。",
    ];
    const table = Object.fromEntries(en.map((s, i) => [s, zh[i]]));
    const p = pipeline(
      { translator: m.translator(table), checker: m.checker(table), headline: m.headliner({ [bank.title]: "央行维持利率在3.5%不变" }) },
      { language: "zh", stories: 1 },
    );
    const editionId = await seedEdition(p, NOW, [bank]);
    await drive(p);
    const [story] = await storiesOf(db, editionId);
    expect(story.status).toBe("approved");
    const script = (await approvedScripts(db, editionId)).get(story.id)!;
    expect(detectLanguage(spokenText(script))).toBe("zh");
    expect(spokenText(script)).toContain("基准利率维持在3.5%");
    expect(script.headline).toBe("央行维持利率在3.5%不变");
    expect(fake.callsFor(`r${run}-translator`)).toHaveLength(1);
  });

  it('a freshness judge calling a fresh story "old news" without evidence is overruled: the story stays, the disagreement is stored and traced', async () => {
    const p = pipeline({ fresh: m.freshnessJudge({ verdict: "old_news", reason: "I have seen this before" }) });
    const editionId = await seedEdition(p, NOW, pick("Central bank"));
    await drive(p);
    const [story] = await storiesOf(db, editionId);
    expect(story.status).toBe("approved");
    const verdict = (await reviewsOf({ story: story.id })).find((r) => r.role === "freshness_judge")!;
    expect(verdict).toMatchObject({ verdict: "old_news", disagreement: true, provider: "usco" });
    expect(verdict.overruled_reason).toMatch(/no evidence cited/);

    const span = exporter.getFinishedSpans().find((s) => s.name === "review freshness_judge")!;
    expect(span.attributes).toMatchObject({
      "newsroom.review.role": "freshness_judge",
      "newsroom.review.verdict": "old_news",
      "newsroom.review.disagreement": true,
      "newsroom.story.id": story.id,
      "newsroom.edition.id": editionId,
    });
    const event = span.events.find((e) => e.name === "gen_ai.evaluation.result")!;
    expect(event.attributes).toMatchObject({ "gen_ai.evaluation.name": "freshness_judge", "gen_ai.evaluation.score.label": "old_news", "gen_ai.evaluation.explanation": "I have seen this before" });
    // What `{ span.newsroom.review.disagreement = true }` finds in this edition.
    const found = exporter.getFinishedSpans().filter((s) => s.attributes["newsroom.review.disagreement"] === true && s.attributes["newsroom.edition.id"] === editionId);
    expect(found.map((s) => s.name)).toEqual(expect.arrayContaining(["review freshness_judge", "review fact_checker", "review cross_reviewer"]));
  });

  it('"old news" citing a source inside the window, or a source that does not exist, is overruled by the timestamps', async () => {
    const p = pipeline({
      fresh: m.freshnessJudge((call) => {
        const own = m.listedSourceIds(call, "story sources");
        return /subway/i.test(m.blocksOf(call).find((b) => b.label === "story")?.text ?? "")
          ? { verdict: "old_news", evidence: [{ sourceId: "src-from-last-year", note: "reported in 2024" }], reason: "an old report" }
          : { verdict: "old_news", evidence: [{ sourceId: own[0], note: "same report" }], reason: "already reported" };
      }),
    });
    const editionId = await seedEdition(p, NOW, pick("Central bank", "Heavy rain"));
    await drive(p);
    const stories = await storiesOf(db, editionId);
    expect(stories.map((s) => s.status)).toEqual(["approved", "approved"]);
    const verdicts = await db.selectFrom("reviews").selectAll().where("edition_id", "=", editionId).where("role", "=", "freshness_judge").execute();
    const reasons = verdicts.map((v) => v.overruled_reason).sort();
    expect(reasons[0]).toMatch(/do not exist/);
    expect(reasons[1]).toMatch(/only evidence cited is the story's own source/);
    expect(verdicts.every((v) => v.disagreement)).toBe(true);
  });

  it('"old news" that cites an earlier report from before the window is upheld, and an arbiter of another camp than the accuser drops the story', async () => {
    const museum = {
      title: "Museum returns bronze statues",
      language: "en",
      sources: [
        { feed: "https://wire.example/rss", feedTitle: "Wire Service", title: "Museum returns bronze statues", text: "The city museum returned 12 bronze statues to their country of origin on Sunday. The statues were taken during a war in 1897. A ceremony was held at the national gallery.", language: "en", hoursAgo: 2 },
        { feed: "https://old.example/rss", feedTitle: "Old Desk", title: "Museum to return statues", text: "The city museum will return 12 bronze statues taken during a war in 1897, its director said.", language: "en", hoursAgo: 72 },
      ],
    };
    const p = pipeline({
      fresh: m.freshnessJudge((call) => {
        const old = m.listedSourceIds(call, "story sources").find((id) => id.endsWith("src2"))!;
        return { verdict: "old_news", evidence: [{ sourceId: old, note: "the return was reported three days ago" }], reason: "reported three days ago" };
      }),
    });
    const editionId = await seedEdition(p, NOW, [museum]);
    await drive(p);
    const [story] = await storiesOf(db, editionId);
    expect(story.status).toBe("dropped");
    const verdict = (await reviewsOf({ story: story.id })).find((r) => r.role === "freshness_judge")!;
    expect(verdict.overruled_reason).toBeNull();
    expect(verdict.evidence).toEqual([expect.objectContaining({ sourceId: `${story.id}-src2` })]);
    // The accuser is of the us camp: the us arbiter may not decide, the next model of the chain does.
    expect(fake.callsFor(`r${run}-arbiter`)).toHaveLength(0);
    const arbiter = (await reviewsOf({ story: story.id })).find((r) => r.role === "arbiter")!;
    expect(arbiter.camp).not.toBe("us");
    expect(story.drop_reason).toMatch(/upheld old_news verdict/);
  });

  it("an unsupported claim added by the writer is caught, revised away, and never approved", async () => {
    const claim = "The mayor resigned after a corruption scandal on Monday.";
    const p = pipeline({ writer: m.writer({ addClaim: claim }) });
    const editionId = await seedEdition(p, NOW, pick("City council"));
    const delivered = await drive(p);
    const [story] = await storiesOf(db, editionId);
    const [v1, v2] = await versions(story.id);
    expect(spokenText(v1)).toContain(claim);
    const check = (await reviewsOf({ script: v1.id })).find((r) => r.role === "fact_checker")!;
    expect(check.verdict).toBe("unsupported");
    expect(check.evidence).toEqual([expect.objectContaining({ sentence: claim })]);
    const reviewed = delivered.filter((d) => d.subject === "script.reviewed" && !d.consumer).map((d) => d.event.decision);
    expect(reviewed).toEqual([ReviewDecision.REVIEW_DECISION_REVISE, ReviewDecision.REVIEW_DECISION_APPROVE]);
    expect(story.status).toBe("approved");
    expect(spokenText(v2)).not.toContain("mayor");
    const writerCalls = fake.callsFor(`r${run}-writer`);
    expect(m.blocksOf(writerCalls[1]).some((b) => b.label === "review objections" && b.text.includes("mayor"))).toBe(true);
  });

  it("an instruction injected by a hostile feed is passed only as data, caught when copied, and never reaches an approved script", async () => {
    const p = pipeline({ writer: m.writer({ copyEverything: "first_draft" }) });
    const editionId = await seedEdition(p, NOW, pick("Free crypto"));
    await drive(p);
    const [story] = await storiesOf(db, editionId);
    const [writerCall] = fake.callsFor(`r${run}-writer`);
    const hostileBlock = m.blocksOf(writerCall).find((b) => b.text.includes(HOSTILE_INSTRUCTION));
    expect(hostileBlock?.label).toMatch(/^source /);
    const [v1, v2] = await versions(story.id);
    expect(spokenText(v1)).toContain("Ignore all previous instructions");
    const gate = (await reviewsOf({ script: v1.id })).find((r) => r.role === "gate.injection")!;
    expect(gate.verdict).toBe("fail");
    expect(story.status).toBe("approved");
    expect(findHostile(spokenText(v2))).toEqual([]);
    expect(spokenText(v2)).toMatch(/ferry terminal/);
  });

  it("a writer that keeps copying the injection is dropped after the revise rounds, with the reason", async () => {
    const p = pipeline({ writer: m.writer({ copyEverything: "always" }) }, { maxReviseRounds: 1 });
    const editionId = await seedEdition(p, NOW, pick("Free crypto"));
    const delivered = await drive(p);
    const [story] = await storiesOf(db, editionId);
    expect(story.status).toBe("dropped");
    expect(story.drop_reason).toMatch(/after 1 revise round/);
    expect(delivered.some((d) => d.subject === "script.approved" && d.event.meta.storyId === story.id)).toBe(false);
    expect(await versions(story.id)).toHaveLength(2);
  });

  it("a truncated script never reaches approval, not even with an arbiter that approves everything; the loop is bounded", async () => {
    const p = pipeline({ writer: m.writer({ cutFirstLine: true }), arbiter: m.arbiter({ lenient: true }) }, { maxReviseRounds: 2 });
    const editionId = await seedEdition(p, NOW, pick("Heavy rain"));
    const delivered = await drive(p);
    const [story] = await storiesOf(db, editionId);
    expect(story.status).toBe("dropped");
    expect(story.drop_reason).toMatch(/after 2 revise round\(s\)/);
    const all = await versions(story.id);
    expect(all.map((s) => s.version)).toEqual([1, 2, 3]);
    for (const s of all) {
      const rows = await reviewsOf({ script: s.id });
      expect(rows.find((r) => r.role === "gate.truncation")?.verdict).toBe("fail");
      const arb = rows.find((r) => r.role === "arbiter")!;
      expect(arb.verdict).toBe("approve");
      expect(arb.overruled_reason).toMatch(/truncation/);
    }
    expect(delivered.some((d) => d.subject === "script.approved" && d.event.meta.storyId === story.id)).toBe(false);
    const dropped = delivered.find((d) => d.subject === "story.dropped" && !d.consumer)!;
    expect(dropped.event.stage).toBe("factcheck");
  });

  it("a story whose writer chain fails entirely is dropped with its reason while the others proceed", async () => {
    const p = pipeline(
      { writer: m.writer({ failFor: /subway/i }), writer2: m.writer({ failFor: /subway/i }) },
      {},
      { writer: ["cnco/writer", "usco/writer2"] },
    );
    const editionId = await seedEdition(p, NOW, pick("City council", "Central bank", "Heavy rain"));
    const delivered = await drive(p);
    const stories = await storiesOf(db, editionId);
    const floods = stories.find((s) => s.title.startsWith("Heavy rain"))!;
    expect(floods.status).toBe("dropped");
    expect(floods.drop_reason).toMatch(/^writer: writer: every model failed/);
    expect(stories.filter((s) => s !== floods).map((s) => s.status)).toEqual(["approved", "approved"]);
    const dropped = delivered.find((d) => d.subject === "story.dropped" && !d.consumer)!;
    expect(dropped.event).toMatchObject({ stage: "writer" });
    expect(dropped.event.meta.storyId).toBe(floods.id);
  });

  it("a reviewer chain that cannot be reached falls to the deterministic checks, never to the writer's vendor", async () => {
    const p = pipeline({ cross: () => ({ kind: "error", status: 503 }) }, {}, { cross_reviewer: ["usco/cross", "cnco/cross"] });
    const editionId = await seedEdition(p, NOW, pick("Central bank"));
    await drive(p);
    const [story] = await storiesOf(db, editionId);
    expect(story.status).toBe("approved");
    // The other us-camp reviewers answered, so the story did not go without that camp.
    expect(story.reviewed_without).toBeNull();
    const cross = (await reviewsOf({ story: story.id })).find((r) => r.role === "cross_reviewer")!;
    expect(cross).toMatchObject({ provider: "newsroom", model: "rules" });
    // The writer's vendor (cnco) was never asked to review its own script.
    expect(fake.callsFor(`r${run}-cross`).every((c) => c.headers.authorization?.includes(ENV.USCO_KEY))).toBe(true);
  });
});
