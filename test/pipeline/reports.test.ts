// Listener reports become corrections (issue 10): reports filed through the site's API on an
// aired edition, decided by the corrections desk on the embedded default (offline provider), an
// upheld one read at the top of the show's next edition and noted on the story's page; bad
// reports are refused and store nothing; operators list, show and decide with the CLI's code.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import type { ScriptLine } from "@newsroom/platform/db/schema";
import { ReportError } from "@newsroom/platform/editorial/reports";
import { assembleEdition } from "@newsroom/publisher/assemble";
import { buildSite } from "@newsroom/site/site";
import { expectedMs, SPEECH_RATES } from "@newsroom/voice/completeness";
import { decideReport, listReports, showReport } from "@newsroom/cli/reports";
import { sinePcm } from "../publisher/pcm-fixtures.js";
import { drive, lastScript, seedEdition, spokenText, storiesOf, usePipelineDb, type Pipeline, type SeedStory } from "./harness.js";
import { NOW, offlineYaml } from "./fixtures.js";

const FIRST: SeedStory[] = [
  {
    title: "Floods force 1,200 residents from river towns",
    language: "en",
    sources: [
      {
        feed: "wire",
        feedTitle: "Wire",
        title: "Floods force 1,200 residents from river towns",
        text: "Floods forced 1,200 residents from their homes in three river towns on Sunday, officials said. Rescue teams opened four shelters near the river.",
        language: "en",
        hoursAgo: 3,
      },
    ],
  },
  {
    title: "City council approves protected bike lanes",
    language: "en",
    sources: [
      {
        feed: "local",
        feedTitle: "Local Daily",
        title: "City council approves protected bike lanes",
        text: "The city council approved 40 kilometres of protected bike lanes on Monday. Construction of the lanes starts in June, the council said.",
        language: "en",
        hoursAgo: 2,
      },
    ],
  },
];

const SECOND: SeedStory[] = [
  {
    title: "Museum reopens after a two-year renovation",
    language: "en",
    sources: [
      {
        feed: "local",
        feedTitle: "Local Daily",
        title: "Museum reopens after a two-year renovation",
        text: "The city museum reopened on Tuesday after a renovation that took two years. Entry is free for the first week, the museum said.",
        language: "en",
        hoursAgo: 1,
      },
    ],
  },
];

const pipelines = usePipelineDb();
let p: Pipeline;
let db: Db;
let outDir: string;
let site: FastifyInstance;
let editionA: string;
let flood: string; // story 1 of edition A: its aired figure will be wrong
let lanes: string; // story 2 of edition A: fresh by its sources

/** What the voice service and the producer do, in brief: audio for every approved script (as long as its text takes to say), then the edition's files. */
async function voiceAndPublish(config: LoadedConfig, editionId: string): Promise<void> {
  const edition = await db.selectFrom("editions").selectAll().where("id", "=", editionId).executeTakeFirstOrThrow();
  const approved = (await storiesOf(db, editionId)).filter((s) => s.status === "approved");
  const scripts = [
    ...(await db.selectFrom("scripts").selectAll().where("id", "in", [edition.intro_script_id!, edition.outro_script_id!]).execute()),
    ...(await db.selectFrom("scripts").selectAll().where("edition_id", "=", editionId).where("kind", "=", "transition").execute()),
    ...(await Promise.all(approved.map((s) => lastScript(db, s.id)))),
  ];
  for (const script of scripts)
    for (const [seq, line] of (script.lines as ScriptLine[]).entries()) {
      const ms = Math.max(800, expectedMs(line.text, SPEECH_RATES.local));
      await db
        .insertInto("segments")
        .values({
          id: `${script.id}-seg${seq}`,
          edition_id: editionId,
          story_id: script.story_id,
          script_id: script.id,
          seq,
          speaker: line.speaker,
          text: line.text,
          provider: "local",
          voice: "v1",
          sample_rate: 16000,
          pcm: sinePcm({ sampleRate: 16000, ms, hz: 220, amplitude: 0.25 }),
          duration_ms: ms,
          expected_ms: ms,
          attempts: 1,
        })
        .execute();
    }
  if (approved.length) await db.updateTable("stories").set({ status: "voiced" }).where("id", "in", approved.map((s) => s.id)).execute();
  const publishedAt = new Date();
  await assembleEdition({ db, config, outDir, editionId, reason: "complete", publishedAt });
  await db.updateTable("editions").set({ status: "published", published_at: publishedAt }).where("id", "=", editionId).execute();
}

function report(body: unknown, address = "203.0.113.7") {
  return site.inject({ method: "POST", url: "/api/v1/reports", payload: body as object, remoteAddress: address });
}

async function stored() {
  const reports = await db.selectFrom("reports").selectAll().execute();
  const events = await db.selectFrom("outbox").select("id").where("subject", "=", "report.filed").execute();
  return { reports: reports.length, events: events.length };
}

beforeAll(async () => {
  p = pipelines.open(offlineYaml({ language: "en", stories: 2 }));
  db = pipelines.db();
  outDir = mkdtempSync(join(tmpdir(), "newsroom-reports-"));
  editionA = await seedEdition(p, NOW, FIRST);
  await drive(p);
  const stories = await storiesOf(db, editionA);
  flood = stories.find((s) => s.title.startsWith("Floods"))!.id;
  lanes = stories.find((s) => s.title.startsWith("City council"))!.id;
  expect(stories.filter((s) => s.status === "approved").map((s) => s.id).sort()).toEqual([flood, lanes].sort());
  // A slip that got past review: the aired script says 12,000 where every source says 1,200.
  const script = await lastScript(db, flood);
  expect(spokenText(script)).toContain("1,200");
  const slipped = (script.lines as ScriptLine[]).map((l) => ({ ...l, text: l.text.replace("1,200", "12,000") }));
  await db.updateTable("scripts").set({ lines: JSON.stringify(slipped) }).where("id", "=", script.id).execute();
  await voiceAndPublish(p.config, editionA);
  site = await buildSite({ root: outDir, listens: { db, nudgeOutbox: () => {}, perMinute: 120 } });
}, 240_000);

afterAll(async () => {
  await site?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe("listener reports", () => {
  it("the page has a report form under each story, sending to the site's API", () => {
    const page = readFileSync(join(outDir, editionA, "index.html"), "utf8");
    expect(page.match(/<form class="report" data-report/g)).toHaveLength(2);
    expect(page).toContain(`data-edition="${editionA}" data-story="${flood}"`);
    for (const kind of ["wrong_fact", "old_news", "cut_off", "audio_problem", "other"]) expect(page).toContain(`value="${kind}"`);
    expect(page).toContain('maxlength="500"');
    expect(page).toContain("../api/v1/reports");
  });

  it("refuses bad reports with 4xx and stores nothing", async () => {
    const ok = { edition: editionA, story: lanes, kind: "other" };
    const cases: [unknown, number, RegExp][] = [
      [{ ...ok, kind: "boring" }, 400, /kind: expected one of wrong_fact/],
      [{ ...ok, note: "字".repeat(501) }, 400, /note: at most 500 characters/],
      [{ ...ok, extra: 1 }, 400, /unrecognized key/i],
      [{ ...ok, story: "../../etc/passwd" }, 400, /story: not a story id/],
      [{ ...ok, edition: "2025-01-01-morning-nope" }, 404, /no published edition/],
      [{ ...ok, story: `${editionA}-s9` }, 404, /has no story/],
      [{ ...ok, note: "x".repeat(5000) }, 413, /./],
    ];
    for (const [body, status, error] of cases) {
      const res = await report(body, "198.51.100.1");
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.json().error).toMatch(error);
      expect(res.body).not.toMatch(/\n\s+at /);
    }
    const notJson = await site.inject({ method: "POST", url: "/api/v1/reports", payload: "kind=other", headers: { "content-type": "application/x-www-form-urlencoded" }, remoteAddress: "198.51.100.2" });
    expect(notJson.statusCode).toBe(415);
    expect(await stored()).toEqual({ reports: 0, events: 0 });
  });

  it("rate-limits a flood from one address, and the others still get through", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await report({ edition: "2025-01-01-morning-nope", story: lanes, kind: "other" }, "198.51.100.9")).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect((await report({ edition: "2025-01-01-morning-nope", story: lanes, kind: "other" }, "198.51.100.10")).statusCode).toBe(404);
    expect(await stored()).toEqual({ reports: 0, events: 0 });
  });

  it("the corrections desk rejects 'old news' for a fresh story by its source timestamps, upholds a wrong figure the sources contradict, re-runs the completeness checks on a cut-off report, and leaves 'other' to an operator", async () => {
    const filed: Record<string, string> = {};
    for (const [name, body] of Object.entries({
      oldNews: { edition: editionA, story: lanes, kind: "old_news", note: "I heard this last week" },
      wrongFact: { edition: editionA, story: flood, kind: "wrong_fact", note: "It was 1,200 people, not 12,000" },
      cutOff: { edition: editionA, story: lanes, kind: "cut_off" },
      other: { edition: editionA, story: lanes, kind: "other", note: "The music was too loud" },
    })) {
      const res = await report(body);
      expect(res.statusCode, res.body).toBe(202);
      filed[name] = res.json().id;
    }
    const rows = await db.selectFrom("reports").selectAll().execute();
    expect(rows).toHaveLength(4);
    const floodScript = await lastScript(db, flood);
    expect(rows.find((r) => r.id === filed.wrongFact)).toMatchObject({ story_id: flood, script_id: floodScript.id, script_version: floodScript.version, status: "filed", note: "It was 1,200 people, not 12,000" });

    await drive(p);
    const decided = new Map((await db.selectFrom("reports").selectAll().execute()).map((r) => [r.id, r]));
    const oldNews = decided.get(filed.oldNews)!;
    expect(oldNews.status).toBe("rejected");
    expect(oldNews.reason).toMatch(/not old news: all 1 source\(s\) of the story are dated .* inside the 24-hour window before the edition/);
    expect(oldNews.decided_by).toBe("corrections_desk");

    const wrong = decided.get(filed.wrongFact)!;
    expect(wrong.status, wrong.reason ?? "").toBe("upheld");
    expect(wrong.reason).toMatch(/said 12,000; a source says ".*1,200 residents/);
    expect(wrong.correction!.lines.en).toMatch(/^A correction: in our 2025-03-10 edition, the story ".+" said 12,000; the sources say 1,200\.$/);
    const deskReviews = await db.selectFrom("reviews").select(["role", "verdict"]).where("id", "like", `${filed.wrongFact}.%`).orderBy("role").execute();
    expect(deskReviews.map((r) => r.role)).toEqual(["corrections_desk.cross_reviewer", "corrections_desk.fact_checker", "corrections_desk.grounding"]);
    expect(deskReviews.find((r) => r.role === "corrections_desk.grounding")!.verdict).toBe("contradicted");

    const cut = decided.get(filed.cutOff)!;
    expect(cut.status).toBe("rejected");
    expect(cut.reason).toMatch(/completeness checks passed on all \d+ aired segment/);

    const other = decided.get(filed.other)!;
    expect(other.status).toBe("filed");
    expect(other.reason).toMatch(/waits for an operator/);
  });

  it("operators list, show and decide reports (clear errors for bad input)", async () => {
    const out: string[] = [];
    const say = (l: string) => out.push(l);
    await listReports(db, {}, say);
    expect(out).toHaveLength(5);
    expect(out.slice(1).map((l) => l.split("\t")[2]).sort()).toEqual(["filed", "rejected", "rejected", "upheld"]);
    const other = (await db.selectFrom("reports").select("id").where("status", "=", "filed").executeTakeFirstOrThrow()).id;

    out.length = 0;
    await listReports(db, { status: "upheld" }, say);
    expect(out).toHaveLength(2);
    const upheld = out[1].split("\t")[0];
    out.length = 0;
    await showReport(db, upheld, say);
    expect(out.join("\n")).toMatch(/status:\s+upheld/);
    expect(out.join("\n")).toMatch(/correction en:\s+A correction: .* said 12,000/);
    expect(out.join("\n")).toMatch(/read in:\s+not yet/);

    await expect(showReport(db, "r-nope", say)).rejects.toThrow(ReportError);
    await expect(decideReport(db, other, "maybe", "why", say)).rejects.toThrow(/expected uphold or reject/);
    await expect(decideReport(db, other, "reject", "  ", say)).rejects.toThrow(/--reason is required/);

    out.length = 0;
    await decideReport(db, other, "reject", "Music levels are a production choice, not an error.", say);
    expect(out[0]).toBe(`report ${other}: rejected`);
    const row = await db.selectFrom("reports").selectAll().where("id", "=", other).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "rejected", decided_by: "operator", reason: "Music levels are a production choice, not an error.", correction: null });
  });

  it("an upheld report is read at the top of the show's next edition, and noted on the story's page and in edition.json", async () => {
    const upheld = await db.selectFrom("reports").selectAll().where("status", "=", "upheld").executeTakeFirstOrThrow();
    const editionB = await seedEdition(p, new Date(NOW.getTime() + 12 * 3_600_000), SECOND);
    await drive(p);
    const edition = await db.selectFrom("editions").selectAll().where("id", "=", editionB).executeTakeFirstOrThrow();
    const intro = await db.selectFrom("scripts").selectAll().where("id", "=", edition.intro_script_id!).executeTakeFirstOrThrow();
    const lines = (intro.lines as ScriptLine[]).map((l) => l.text);
    const at = lines.indexOf(upheld.correction!.lines.en!);
    expect(at, lines.join("\n")).toBeGreaterThan(0); // after the greeting
    expect(lines.slice(at + 1).some((l) => /museum/i.test(l))).toBe(true); // before the rundown
    expect((await db.selectFrom("reports").select("corrected_in").where("id", "=", upheld.id).executeTakeFirstOrThrow()).corrected_in).toBe(editionB);

    await voiceAndPublish(p.config, editionB);
    const docA = JSON.parse(readFileSync(join(outDir, editionA, "edition.json"), "utf8"));
    const story = docA.stories.find((s: { id: string }) => s.id === flood);
    expect(story.corrections).toHaveLength(1);
    expect(story.corrections[0]).toMatchObject({ report_id: upheld.id, kind: "wrong fact", read_in: editionB, text: [upheld.correction!.lines.en] });
    expect(docA.notes.some((n: { kind: string; message: string }) => n.kind === "correction" && n.message.includes("12,000"))).toBe(true);
    const pageA = readFileSync(join(outDir, editionA, "index.html"), "utf8");
    const floodSection = pageA.slice(pageA.indexOf(`data-story="${flood}"`) - 4000, pageA.indexOf(`data-story="${flood}"`));
    expect(floodSection).toContain("<strong>Correction</strong>");
    expect(floodSection).toContain("said 12,000; the sources say 1,200.");
    expect(pageA).toContain("Transcript"); // re-rendered whole, transcript included
    expect(pageA).toContain("12,000");
    const pageB = readFileSync(join(outDir, editionB, "index.html"), "utf8");
    expect(pageB).toContain("This edition opens with a correction");
    expect(JSON.parse(readFileSync(join(outDir, editionB, "edition.json"), "utf8")).corrections_read[0].report_id).toBe(upheld.id);

    // What aired cannot be unsaid.
    await expect(decideReport(db, upheld.id, "reject", "changed my mind", () => {})).rejects.toThrow(/cannot be decided again/);
  });

  it("a listener sends a report from the page in Chromium, through the page's CSP, and it is stored with the aired version; the open forms fit a phone and pass axe", async () => {
    const address = await site.listen({ port: 0, host: "127.0.0.1" });
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
      const cspErrors: string[] = [];
      page.on("console", (m) => /Content Security Policy/i.test(m.text()) && cspErrors.push(m.text()));
      await page.goto(`${address}/${editionA}/`);
      const form = page.locator(`form[data-story="${lanes}"]`);
      await form.locator("xpath=..").locator("summary").click();
      await form.getByLabel("Audio problem").check();
      await form.getByLabel(/Note/).fill("The sound drops out half way through");
      await form.getByRole("button", { name: "Send report" }).click();
      const status = form.locator("[role=status]");
      for (let i = 0; i < 100 && !/Thank you|Not sent/.test((await status.textContent()) ?? ""); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await status.textContent()).toMatch(/^Thank you/);
      expect(cspErrors).toEqual([]);
      // With every report form open: still no horizontal scroll on a 390 px phone, and axe finds nothing serious.
      await page.evaluate(`document.querySelectorAll("details.report").forEach((d) => { d.open = true; })`);
      expect(await page.evaluate<boolean>(`document.documentElement.scrollWidth <= document.documentElement.clientWidth`)).toBe(true);
      await page.evaluate(readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8"));
      const violations = await page.evaluate<{ id: string; impact: string }[]>(`axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))`);
      expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
      const row = await db.selectFrom("reports").selectAll().where("kind", "=", "audio_problem").executeTakeFirstOrThrow();
      const script = await lastScript(db, lanes);
      expect(row).toMatchObject({ edition_id: editionA, story_id: lanes, script_id: script.id, script_version: script.version, note: "The sound drops out half way through", status: "filed" });
    } finally {
      await browser.close();
    }
  });
});
