// Issue 8, "no stalls": the headline editor is off every story's critical path. With each of
// its models answering something unusable, the stories are still written, reviewed and voiced,
// and the edition is published by the producer as soon as its last story is in (not by the
// deadline sweep), with the template greetings and the source titles as headlines.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "@newsroom/platform/config/load";
import { voiceHandlers } from "@newsroom/voice/roles/anchor";
import { createSynthesizer, type Synthesizer } from "@newsroom/voice/speech/synthesizer";
import { publisherHandlers } from "@newsroom/publisher/roles/producer";
import { behave, startFakeOpenAI, type FakeOpenAI } from "../fakes/openai-server.js";
import { drive, seedEdition, spokenText, storiesOf, usePipelineDb } from "./harness.js";
import { editionYaml, NOW, STORIES } from "./fixtures.js";
import * as m from "./fake-models.js";

const pipelines = usePipelineDb();
let fake: FakeOpenAI;
let tts: Synthesizer | undefined;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await tts?.close();
  await fake?.close();
});

const ENV = { USCO_KEY: "sk-test-usco-1234567", CNCO_KEY: "sk-test-cnco-7654321" };

describe("a role off the critical path never stalls the edition", () => {
  it("headline editor failing on every model: published before the deadline, template greetings, source titles as headlines", async () => {
    const models: Record<string, ReturnType<typeof behave.ok> | ReturnType<typeof m.writer>> = {
      "ns-chief": m.chief(),
      "ns-deputy": m.agreeingDeputy(),
      "ns-writer": m.writer(),
      // Both camps' headline models answer something unusable: too short, never JSON.
      "ns-headline-cn": behave.ok("OK"),
      "ns-headline-us": behave.ok("OK"),
      "ns-checker": m.checker(),
      "ns-cross": m.crossReviewer(),
      "ns-fresh": m.freshnessJudge({ verdict: "fresh", reason: "reported today" }),
      "ns-arbiter": m.arbiter(),
    };
    for (const [name, b] of Object.entries(models)) fake.setBehaviour(name, b);
    const yaml = `${editionYaml({ stories: 2 }).replace("anchors: 1", "anchors: 1\n  deadline_minutes: 30")}providers:
  usco: {camp: us, base_url: "${fake.url}", api_key_env: USCO_KEY, max_retries: 0, timeout_ms: 5000}
  cnco: {camp: cn, base_url: "${fake.url}", api_key_env: CNCO_KEY, max_retries: 0, timeout_ms: 5000}
roles:
  editor_in_chief: [usco/ns-chief, cnco/ns-chief]
  deputy_editor: [cnco/ns-deputy, usco/ns-deputy]
  writer: [cnco/ns-writer, usco/ns-writer]
  translator: [cnco/ns-writer, usco/ns-writer]
  headline_editor: [cnco/ns-headline-cn, usco/ns-headline-us]
  fact_checker: [usco/ns-checker, cnco/ns-checker]
  cross_reviewer: [usco/ns-cross, cnco/ns-cross]
  freshness_judge: [usco/ns-fresh, cnco/ns-fresh]
  arbiter: [usco/ns-arbiter, cnco/ns-arbiter]
`;
    const config = parseConfig(yaml, "/tmp/pipeline-test/newsroom.yaml", ENV);
    const db = pipelines.db();
    tts = createSynthesizer({ config, db });
    const outDir = mkdtempSync(join(tmpdir(), "newsroom-no-stalls-"));
    const p = pipelines.open(yaml, ENV, [...voiceHandlers({ config, tts }), ...publisherHandlers({ config, outDir })]);
    const chosen = STORIES.filter((s) => /^(Central bank|Heavy rain)/.test(s.title));
    const editionId = await seedEdition(p, NOW, chosen);
    await drive(p);

    // The headline editor was asked (and failed) for every greeting and headline.
    expect(fake.callsFor("ns-headline-cn").length).toBeGreaterThanOrEqual(4);
    expect(fake.callsFor("ns-headline-us").length).toBeGreaterThanOrEqual(4);

    const edition = await db.selectFrom("editions").selectAll().where("id", "=", editionId).executeTakeFirstOrThrow();
    expect(edition.status).toBe("published");
    // Published by the producer when the last story was in, not by the deadline sweep.
    expect(edition.published_at!.getTime()).toBeLessThan(edition.deadline_at.getTime());
    const doc = JSON.parse(readFileSync(join(outDir, editionId, "edition.json"), "utf8"));
    expect(doc.published_because).toBe("complete");

    const stories = await storiesOf(db, editionId);
    expect(stories.map((s) => s.status)).toEqual(["voiced", "voiced"]);
    expect(stories.map((s) => s.headline)).toEqual(chosen.map((s) => s.title));

    const intro = await db.selectFrom("scripts").selectAll().where("id", "=", edition.intro_script_id!).executeTakeFirstOrThrow();
    const outro = await db.selectFrom("scripts").selectAll().where("id", "=", edition.outro_script_id!).executeTakeFirstOrThrow();
    expect(spokenText(intro)).toMatch(/^Good evening, and welcome to Test Briefing\./);
    expect(spokenText(outro)).toMatch(/Thank you for listening to Test Briefing/);
    expect(intro.provider).toBe("template");
    expect(JSON.stringify(edition.notes)).toMatch(/template_fallback/);
  }, 180_000);
});
