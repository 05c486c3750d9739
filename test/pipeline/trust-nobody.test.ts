// Trust nobody against vendors that behave like real ones: three vendors (two US, one Chinese),
// each its own OpenAI-compatible test server, driven through the router and the openai SDK.
// A camp that believes fresh news is fake, a camp that is down, a writer that invents a figure,
// and the air date in every editorial request.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trace } from "@opentelemetry/api";
import { tracing } from "@opentelemetry/sdk-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "@newsroom/platform/config/load";
import type { ModelRole } from "@newsroom/platform/config/schema";
import { voiceHandlers } from "@newsroom/voice/roles/anchor";
import { createSynthesizer, type Synthesizer } from "@newsroom/voice/speech/synthesizer";
import { publisherHandlers } from "@newsroom/publisher/roles/producer";
import type { EditionDocument } from "@newsroom/publisher/edition-json";
import type { Db } from "@newsroom/platform/db/connect";
import { startFakeOpenAI, type Behaviour, type FakeOpenAI } from "../fakes/openai-server.js";
import { approvedScripts, drive, seedEdition, spokenText, storiesOf, usePipelineDb, type Pipeline, type PipelineRouterOptions } from "./harness.js";
import { editionYaml, NOW, STORIES, type EditionOptions } from "./fixtures.js";
import * as m from "./fake-models.js";
import { candidateBlocks, loadCandidates } from "@newsroom/editor/lineup/candidates";
import { countTokens } from "@newsroom/platform/router/ledger";

const exporter = new tracing.InMemorySpanExporter();
trace.setGlobalTracerProvider(new tracing.BasicTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] }));

const pipelines = usePipelineDb();
let db: Db;
/** One server per vendor: an outage takes a whole vendor down. */
const vendors: Record<"openai" | "xai" | "deepseek", FakeOpenAI> = {} as never;
const voices: Synthesizer[] = [];
beforeAll(async () => {
  db = pipelines.db();
  for (const v of ["openai", "xai", "deepseek"] as const) vendors[v] = await startFakeOpenAI();
});
afterAll(async () => {
  for (const t of voices) await t.close();
  for (const f of Object.values(vendors)) await f?.close();
});
beforeEach(() => exporter.reset());

const ENV = { OPENAI_KEY: "sk-test-openai-1", XAI_KEY: "sk-test-xai-2", DEEPSEEK_KEY: "sk-test-deepseek-3" };
let run = 0;

type Models = Partial<Record<"openai" | "xai" | "deepseek", Record<string, Behaviour>>>;

/** Models named `<run>-<name>` on each vendor's server; chains as "vendor/name". */
function pipeline(
  models: Models,
  chains: Record<ModelRole, string[]>,
  opts: EditionOptions = {},
  router: PipelineRouterOptions = {},
  /** Extra provider settings, e.g. {openai: "context_tokens: 64000"}. */
  providerExtra: Partial<Record<keyof typeof vendors, string>> = {},
  /** Also voice and publish the edition (local voice) into this folder. */
  publishTo?: string,
): Pipeline {
  const prefix = `t${++run}`;
  for (const [vendor, byName] of Object.entries(models)) for (const [name, b] of Object.entries(byName ?? {})) vendors[vendor as keyof typeof vendors].setBehaviour(`${prefix}-${name}`, b);
  const roles = Object.entries(chains)
    .map(([role, refs]) => `  ${role}: [${refs.map((r) => (r.startsWith("offline/") ? r : r.replace("/", `/${prefix}-`))).join(", ")}]`)
    .join("\n");
  const provider = (name: keyof typeof vendors, camp: string, key: string) =>
    `  ${name}: {camp: ${camp}, base_url: "${vendors[name].url}", api_key_env: ${key}, max_retries: 0, timeout_ms: 30000${providerExtra[name] ? `, ${providerExtra[name]}` : ""}}`;
  const yaml = `${editionYaml({ stories: 3, ...opts })}providers:
${provider("openai", "us", "OPENAI_KEY")}
${provider("xai", "us", "XAI_KEY")}
${provider("deepseek", "cn", "DEEPSEEK_KEY")}
  offline: {camp: local, kind: offline}
roles:
${roles}
`;
  return pipelines.open(yaml, ENV, publishTo ? voiceAndPublish(yaml, publishTo) : [], router);
}

/** The voice (local engine) and producer handlers, so a test sees the edition the listener gets. */
function voiceAndPublish(yaml: string, outDir: string) {
  const config = parseConfig(yaml, "/tmp/pipeline-test/newsroom.yaml", ENV);
  const tts = createSynthesizer({ config, db });
  voices.push(tts);
  return [...voiceHandlers({ config, tts }), ...publisherHandlers({ config, outDir })];
}

/** What the producer wrote for an edition: edition.json and the page. */
async function published(outDir: string, editionId: string) {
  const edition = await db.selectFrom("editions").selectAll().where("id", "=", editionId).executeTakeFirstOrThrow();
  const doc = JSON.parse(readFileSync(join(outDir, editionId, "edition.json"), "utf8")) as EditionDocument;
  const page = readFileSync(join(outDir, editionId, "index.html"), "utf8");
  return { edition, doc, page };
}

/** The page's part about its nth story (1-based, as edition.json lists them). */
function pageStory(page: string, n: number): string {
  const at = page.indexOf(`<article id="story-${n}">`);
  expect(at, `story ${n} on the page`).toBeGreaterThanOrEqual(0);
  return page.slice(at, page.indexOf("</article>", at));
}

/** Requests of this run on a vendor's server. */
const callsOf = (vendor: keyof typeof vendors) => vendors[vendor].calls.filter((c) => c.model.startsWith(`t${run}-`));
const pick = (...titles: string[]) => STORIES.filter((s) => titles.some((t) => s.title.startsWith(t)));
const reviewsOfEdition = (editionId: string) => db.selectFrom("reviews").selectAll().where("edition_id", "=", editionId).execute();

/** Healthy newsroom models, the same on every vendor. */
function honest(): Record<string, Behaviour> {
  return {
    chief: m.chief(),
    deputy: m.agreeingDeputy(),
    writer: m.writer(),
    headline: m.headliner(),
    checker: m.checker(),
    cross: m.crossReviewer(),
    fresh: m.freshnessJudge({ verdict: "fresh", reason: "reported today" }),
    arbiter: m.sourceArbiter(),
  };
}

/** Writers start with the US camp; every review role starts with the Chinese camp, then the other US vendor. */
const REVIEWS_START_CN: Record<ModelRole, string[]> = {
  editor_in_chief: ["openai/chief", "deepseek/chief", "offline/extractive"],
  deputy_editor: ["deepseek/deputy", "xai/deputy", "offline/extractive"],
  writer: ["openai/writer", "deepseek/writer", "offline/extractive"],
  translator: ["openai/writer", "deepseek/writer"],
  headline_editor: ["openai/headline", "deepseek/headline", "offline/extractive"],
  fact_checker: ["deepseek/checker", "xai/checker", "offline/extractive"],
  cross_reviewer: ["deepseek/cross", "xai/cross", "offline/extractive"],
  freshness_judge: ["deepseek/fresh", "xai/fresh", "offline/extractive"],
  arbiter: ["deepseek/arbiter", "xai/arbiter", "offline/extractive"],
};

/** Trust nobody with no offline provider: writers start with the Chinese camp, reviewers with the US camp. */
const WRITERS_START_CN: Record<ModelRole, string[]> = {
  editor_in_chief: ["deepseek/chief", "openai/chief"],
  deputy_editor: ["openai/deputy", "deepseek/deputy"],
  writer: ["deepseek/writer", "openai/writer"],
  translator: ["deepseek/writer", "openai/writer"],
  headline_editor: ["deepseek/headline", "openai/headline"],
  fact_checker: ["openai/checker", "deepseek/checker"],
  cross_reviewer: ["openai/cross", "deepseek/cross"],
  freshness_judge: ["openai/fresh", "deepseek/fresh"],
  arbiter: ["openai/arbiter", "deepseek/arbiter"],
};

describe("trust nobody, against whole vendors and camps", () => {
  it("one vendor down for every model, the other up: every story airs marked as reviewed without that camp; the breaker keeps the cost to a handful of requests", async () => {
    vendors.deepseek.outage();
    try {
      const outDir = mkdtempSync(join(tmpdir(), "newsroom-camp-down-"));
      const p = pipeline({ openai: honest(), deepseek: honest() }, WRITERS_START_CN, { stories: 3 }, { breaker: { threshold: 3, halfOpenAfterMs: 60_000 } }, {}, outDir);
      const editionId = await seedEdition(p, NOW, pick("City council", "Central bank", "Heavy rain"));
      await drive(p);
      const stories = await storiesOf(db, editionId);
      expect(stories.map((s) => s.status)).toEqual(["voiced", "voiced", "voiced"]);
      expect(stories.map((s) => s.reviewed_without)).toEqual(["cn", "cn", "cn"]);
      // The edition ships, and the listener sees which camp's review every story went without.
      const { edition, doc, page } = await published(outDir, editionId);
      expect(edition.status).toBe("published");
      expect(doc.published_because).toBe("complete");
      expect(doc.stories.map((s) => s.reviewed_without)).toEqual([["cn"], ["cn"], ["cn"]]);
      for (const n of [1, 2, 3]) expect(pageStory(page, n)).toContain('<span class="flag">reviewed without the cn camp</span>');
      expect(doc.stories.map((s) => s.script.provider)).toEqual(["openai", "openai", "openai"]); // the writer fell back to the healthy camp
      const reviews = await reviewsOfEdition(editionId);
      const marks = reviews.filter((r) => r.role === "reviewed_without");
      expect(marks.map((r) => r.verdict)).toEqual(["cn", "cn", "cn"]);
      // The reviews the down camp could not give came from the deterministic rules, never from the writer's vendor.
      for (const r of reviews.filter((r) => ["fact_checker", "cross_reviewer", "freshness_judge"].includes(r.role))) expect(r.provider).toBe("newsroom");
      expect(callsOf("openai").filter((c) => /-(checker|cross|fresh)$/.test(c.model))).toHaveLength(0);
      // Dozens of calls wanted the down vendor; the breaker let only a handful reach it.
      expect(callsOf("deepseek").length).toBeLessThanOrEqual(6);
      const spans = exporter.getFinishedSpans().filter((s) => s.name === "review reviewed_without" && s.attributes["newsroom.edition.id"] === editionId);
      expect(spans.map((s) => s.attributes["newsroom.review.verdict"])).toEqual(["cn", "cn", "cn"]);
    } finally {
      vendors.deepseek.outage(false);
    }
  }, 180_000); // voicing (local engine) and assembling the MP3 on a shared machine

  it('a camp that calls every fresh story "fake" with cited notes, the other camp approving: every story airs, each verdict a traced disagreement', async () => {
    const believesItFake = {
      ...honest(),
      // Story 1 is accused with its own source, the others with another story's source naming the contradicted title.
      fresh: m.fakeNewsJudge((call) => (/City council/.test(m.blocksOf(call).find((b) => b.label === "story")?.text ?? "") ? "own" : "other")),
      checker: m.fakeNewsChecker(),
      cross: m.fakeNewsCross(),
      arbiter: m.arbiter(), // would drop on an upheld "fake": it must never be asked
    };
    const outDir = mkdtempSync(join(tmpdir(), "newsroom-fake-camp-"));
    const p = pipeline({ openai: honest(), xai: honest(), deepseek: believesItFake }, REVIEWS_START_CN, {}, {}, {}, outDir);
    const editionId = await seedEdition(p, NOW, pick("City council", "Central bank", "Heavy rain"));
    await drive(p);

    const stories = await storiesOf(db, editionId);
    expect(stories.map((s) => s.status)).toEqual(["voiced", "voiced", "voiced"]);
    // The edition ships with every fresh story, each "fake" verdict a disagreement in edition.json and on the page.
    const { edition, doc, page } = await published(outDir, editionId);
    expect(edition.status).toBe("published");
    expect(doc.published_because).toBe("complete");
    expect(doc.stories.map((s) => s.id).sort()).toEqual(stories.map((s) => s.id).sort());
    for (const [i, s] of doc.stories.entries()) {
      expect(s.reviews.filter((r) => r.role === "freshness_judge")).toEqual([expect.objectContaining({ verdict: "fake", camp: "cn", disagreement: true })]);
      expect(s.disagreement).toBe(true);
      const section = pageStory(page, i + 1);
      expect(section).toContain('<span class="flag">reviewers disagreed</span>');
      expect(section).toMatch(/<tr><td>freshness_judge(?:(?!<\/tr>).)*<td>fake<\/td>(?:(?!<\/tr>).)*<span class="flag">disagreement<\/span>/s);
    }
    const reviews = await reviewsOfEdition(editionId);
    const fake = reviews.filter((r) => r.role === "freshness_judge");
    expect(fake).toHaveLength(3);
    for (const r of fake) expect(r).toMatchObject({ verdict: "fake", camp: "cn", disagreement: true });
    const reasons = fake.map((r) => r.overruled_reason).sort();
    expect(reasons.filter((r) => /story's own source/.test(r ?? ""))).toHaveLength(1);
    // (b): another story's source naming the contradicted sentence passes the evidence rule, but the US camp does not agree.
    expect(reasons.filter((r) => /the us camp \(xai\/t\d+-fresh\) does not agree/.test(r ?? ""))).toHaveLength(2);
    expect(reviews.filter((r) => r.role === "freshness_second_camp").map((r) => r.camp)).toEqual(["us", "us"]);
    // The fact checker's memory-based flags are overruled by the sources; the arbiter is never of the accusing camp.
    for (const r of reviews.filter((r) => r.role === "fact_checker")) expect(r.overruled_reason).toMatch(/overruled: every number, date and name/);
    for (const r of reviews.filter((r) => r.role === "arbiter")) expect(r.camp).not.toBe("cn");
    expect(callsOf("deepseek").filter((c) => c.model.endsWith("-arbiter"))).toHaveLength(0);

    const spans = exporter.getFinishedSpans().filter((s) => s.name === "review freshness_judge" && s.attributes["newsroom.edition.id"] === editionId);
    expect(spans).toHaveLength(3);
    for (const s of spans) expect(s.attributes).toMatchObject({ "newsroom.review.verdict": "fake", "newsroom.review.disagreement": true, "newsroom.camp": "cn" });
  }, 180_000); // voicing (local engine) and assembling the MP3 on a shared machine

  it("every editorial request states the air date and local time, and that the model's memory is not evidence", async () => {
    const p = pipeline({ openai: honest(), xai: honest(), deepseek: honest() }, REVIEWS_START_CN, { stories: 2 });
    await seedEdition(p, NOW, pick("City council", "Central bank"));
    await drive(p);
    const all = [...callsOf("openai"), ...callsOf("xai"), ...callsOf("deepseek")];
    const roles = new Set(all.map((c) => c.model.replace(/^t\d+-/, "")));
    expect([...roles].sort()).toEqual(["checker", "chief", "cross", "deputy", "fresh", "headline", "writer"]);
    // NOW is 2025-03-10T07:00Z: 3:00 PM on Monday in Shanghai.
    for (const c of all) {
      expect(m.systemOf(c)).toContain("This edition airs Monday, March 10, 2025 at 3:00 PM local time (Asia/Shanghai");
      expect(m.systemOf(c)).toContain("your memory is not evidence that something did not happen");
    }
    // Temperature per role: 0 where verdicts must be repeatable, the config defaults elsewhere.
    const temperatures = Object.fromEntries(all.map((c) => [c.model.replace(/^t\d+-/, ""), c.body.temperature]));
    expect(temperatures).toEqual({ checker: 0, cross: 0, fresh: 0, deputy: 0, chief: 0.2, writer: 0.5, headline: 0.5 });
  });

  it("a writer that adds an unsourced figure: it never airs, even when every reviewer and the arbiter approve", async () => {
    const claim = "Officials said 5,000 residents were evacuated from the Green Line area.";
    const lenient = { ...honest(), checker: m.approvingChecker(), cross: m.approvingCross(), arbiter: m.arbiter({ lenient: true }) };
    const p = pipeline({ openai: { ...honest(), writer: m.writer({ addClaim: claim }) }, xai: lenient, deepseek: lenient }, REVIEWS_START_CN, { stories: 1 });
    const editionId = await seedEdition(p, NOW, pick("Heavy rain"));
    await drive(p);
    const [story] = await storiesOf(db, editionId);
    const versions = await db.selectFrom("scripts").selectAll().where("story_id", "=", story.id).orderBy("version").execute();
    expect(spokenText(versions[0])).toContain("5,000 residents");
    const gate = (await reviewsOfEdition(editionId)).find((r) => r.role === "gate.grounding" && r.script_id === versions[0].id)!;
    expect(gate).toMatchObject({ verdict: "fail", disagreement: true });
    expect(gate.reason).toMatch(/number "5,000"/);
    expect(story.status).toBe("approved");
    const aired = (await approvedScripts(db, editionId)).get(story.id)!;
    expect(spokenText(aired)).not.toContain("5,000");
  });

  it("editors that echo the placeholder or mangle ids: the lineup still has the configured number of stories, from a model", async () => {
    const weak = { ...honest(), chief: m.placeholderEditor(), deputy: m.placeholderEditor() };
    const mangling = { ...honest(), chief: m.mangledEditor(), deputy: m.mangledEditor() };
    // The deputy is asked alongside the chief, avoiding the chief's first choice (openai): deepseek
    // answers; the chief ends on deepseek too, so the deputy is asked again away from it.
    const chains = {
      ...REVIEWS_START_CN,
      editor_in_chief: ["openai/chief", "deepseek/chief", "offline/extractive"],
      deputy_editor: ["xai/deputy", "deepseek/deputy", "openai/deputy", "offline/extractive"],
    };
    const p = pipeline({ openai: { ...weak, deputy: m.mangledEditor() }, xai: weak, deepseek: mangling }, chains, { stories: 3 });
    const editionId = await seedEdition(p, NOW, pick("City council", "Central bank", "Heavy rain", "Free crypto", "Chang'e"));
    await drive(p);
    const selected = (await storiesOf(db, editionId)).filter((s) => s.rank !== null);
    expect(selected).toHaveLength(3);
    // The placeholder got one repair round naming the valid handles, then the next model answered.
    const [answer, repair] = callsOf("openai").filter((c) => c.model.endsWith("-chief"));
    expect(answer).toBeDefined();
    expect(repair.body.messages.at(-1)!.content).toMatch(/Valid ids are the story numbers listed \(1 to 5\)/);
    expect(callsOf("openai").filter((c) => c.model.endsWith("-chief"))).toHaveLength(2);
    const lineupReviews = await db.selectFrom("reviews").selectAll().where("edition_id", "=", editionId).where("story_id", "is", null).execute();
    expect(lineupReviews.map((r) => [r.role, r.provider]).sort()).toEqual([["deputy_editor", "openai"], ["editor_in_chief", "deepseek"]]);
    const { notes } = await db.selectFrom("editions").select("notes").where("id", "=", editionId).executeTakeFirstOrThrow();
    expect(JSON.stringify(notes)).toMatch(/the deputy \(deepseek\/t\d+-deputy\) was asked again to stay independent/);
    // "story-1x" is handle 1 of the list that editor was shown: each editor's own order maps back.
    const titleOf = async (id: string) => (await storiesOf(db, editionId)).find((s) => s.id === id)!.title;
    const shown = (call: (typeof vendors.openai.calls)[number]) => m.blocksOf(call).filter((b) => b.label.startsWith("story ")).map((b) => b.text.split("\n")[0]);
    const chiefCall = callsOf("deepseek").find((c) => c.model.endsWith("-chief"))!;
    const deputyCall = callsOf("openai").find((c) => c.model.endsWith("-deputy"))!;
    for (const [role, call] of [["editor_in_chief", chiefCall], ["deputy_editor", deputyCall]] as const) {
      const verdict = lineupReviews.find((r) => r.role === role)!.verdict.split(",");
      expect(await Promise.all(verdict.map(titleOf))).toEqual(shown(call).slice(0, 3));
    }
  });

  it("150 long candidates with 16k-context models: no request exceeds the context, and the lineup comes from a model", async () => {
    const p = pipeline({ openai: honest(), xai: honest(), deepseek: honest() }, REVIEWS_START_CN, { stories: 3 });
    for (const v of Object.values(vendors)) for (const role of ["chief", "deputy"]) v.setContextTokens(`t${run}-${role}`, 16_000);
    const editionId = await seedEdition(p, NOW, manyCandidates(150));
    await drive(p);
    const editorCalls = [...callsOf("openai"), ...callsOf("deepseek"), ...callsOf("xai")].filter((c) => /-(chief|deputy)$/.test(c.model));
    expect(editorCalls.length).toBeGreaterThanOrEqual(2);
    for (const c of editorCalls) expect(vendors.openai.promptTokens(c) + Number(c.body.max_tokens ?? 0)).toBeLessThanOrEqual(16_000);
    // Unfitted, the candidate list alone would not fit.
    expect(m.blocksOf(editorCalls[0]).filter((b) => b.label.startsWith("story ")).length).toBeGreaterThan(100);
    const whole = candidateBlocks({ candidates: await loadCandidates(db, editionId) });
    expect(countTokens(whole)).toBeGreaterThan(16_000);
    const lineup = await db.selectFrom("reviews").selectAll().where("edition_id", "=", editionId).where("role", "=", "editor_in_chief").executeTakeFirstOrThrow();
    expect(lineup.provider).toBe("openai");
    expect((await storiesOf(db, editionId)).filter((s) => s.rank !== null)).toHaveLength(3);
  });

  it("a 16k-context writer and a story whose sources exceed it: no request exceeds the context, and a model writes the script", async () => {
    const p = pipeline({ openai: honest(), xai: honest(), deepseek: honest() }, REVIEWS_START_CN, { stories: 1 });
    // Every model's real window is 16k (the configured default): a longer request gets a 400.
    for (const v of Object.values(vendors)) for (const role of Object.keys(honest())) v.setContextTokens(`t${run}-${role}`, 16_000);
    const story = longSourcedStory();
    expect(countTokens(story.sources.map((s) => s.text).join("\n"))).toBeGreaterThan(16_000);
    const editionId = await seedEdition(p, NOW, [story]);
    await drive(p);
    const all = [...callsOf("openai"), ...callsOf("xai"), ...callsOf("deepseek")];
    const writerCalls = all.filter((c) => c.model.endsWith("-writer"));
    expect(writerCalls.length).toBeGreaterThanOrEqual(1);
    for (const c of all) expect(vendors.openai.promptTokens(c) + Number(c.body.max_tokens ?? 0), c.model).toBeLessThanOrEqual(16_000);
    const [stored] = await storiesOf(db, editionId);
    expect(stored.status).toBe("approved");
    const script = (await approvedScripts(db, editionId)).get(stored.id)!;
    expect(script.provider).toBe("openai"); // the first writer, not a fallback after a refusal
    expect(spokenText(script)).toMatch(/Crews cleared drain \d+ on/);
    const refused = await db.selectFrom("model_calls").select("error_class").where("edition_id", "=", editionId).where("error_class", "=", "context_length_exceeded").execute();
    expect(refused).toHaveLength(0);
  });

  it("a model whose real window is smaller than declared answers context_length_exceeded: the prompt is shrunk and the same model asked again", async () => {
    // The config claims 64k for every openai model; the chief's real window is 16k.
    const p = pipeline({ openai: honest(), xai: honest(), deepseek: honest() }, REVIEWS_START_CN, { stories: 3 }, {}, { openai: "context_tokens: 64000" });
    vendors.openai.setContextTokens(`t${run}-chief`, 16_000);
    const editionId = await seedEdition(p, NOW, manyCandidates(150));
    await drive(p);
    const chiefCalls = callsOf("openai").filter((c) => c.model.endsWith("-chief"));
    const sizes = chiefCalls.map((c) => vendors.openai.promptTokens(c));
    expect(sizes[0]).toBeGreaterThan(16_000); // the first request went out whole and was refused
    expect(sizes.at(-1)!).toBeLessThanOrEqual(16_000);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const lineup = await db.selectFrom("reviews").selectAll().where("edition_id", "=", editionId).where("role", "=", "editor_in_chief").executeTakeFirstOrThrow();
    expect(lineup.provider).toBe("openai");
  });
});

/** One story whose three sources together are far longer than a 16k window: distinct sentences, one figure each. */
function longSourcedStory() {
  const streets = ["Harbour", "Mill", "Station", "Bridge", "Market", "Church", "River", "Park"];
  const source = (n: number) => ({
    feed: `https://wire${n}.example/rss`,
    feedTitle: `Wire ${n}`,
    title: `Storm crews clear drains across the city (report ${n})`,
    text: Array.from({ length: 400 }, (_, i) => `Crews cleared drain ${n * 1000 + i} on ${streets[i % streets.length]} Street overnight, the city's water department said.`).join(" "),
    language: "en",
    hoursAgo: n,
  });
  return { title: "Storm crews clear drains across the city", language: "en", sources: [source(1), source(2), source(3)] };
}

/** n fresh English candidates with long titles and full summaries (one source each). */
function manyCandidates(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    title: `Regional council ${i + 1} approves a long-debated plan for new housing, transport links and a public library in district ${i + 1} after months of public hearings and objections from shop owners`,
    language: "en",
    sources: [
      {
        feed: "https://wire.example/rss",
        feedTitle: "Wire Service",
        title: `Regional council ${i + 1} approves housing and transport plan`,
        text: `Regional council ${i + 1} voted on Tuesday to approve a plan for ${100 + i} new homes, two bus routes and a public library in district ${i + 1}. The plan was debated for three years and is funded by the regional budget. Construction is due to start next spring, officials said. Residents at the meeting welcomed the library but asked for more parking near the new homes.`,
        language: "en",
        hoursAgo: 1 + (i % 20),
      },
    ],
  }));
}
