// The lineup's second look through the real ingest, editor and fact-check on the embedded
// default: two reports of one event become one story (promotion and commentary kept out; in a
// bilingual edition, a zh and an en report that share only names, in characters and Latin), and
// an evening edition of the same show complements the morning one: at most one morning story
// again, only with a newer source, and framed as an update.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@newsroom/platform/config/load";
import type { AiredBefore } from "@newsroom/platform/db/schema";
import { requestEdition, type SlotName } from "@newsroom/ingest/editions/request";
import { readNotes } from "@newsroom/platform/editorial/notes";
import { ingestHandlers } from "@newsroom/ingest/handlers";
import { drive, lastScript, sourcesOf, spokenText, storiesOf, usePipelineDb } from "./harness.js";
import { rss, type Item } from "../support/fresh-feeds.js";

const pipelines = usePipelineDb();
const MORNING = new Date("2025-03-10T07:00:00Z");
const EVENING = new Date("2025-03-10T18:00:00Z");

function yaml(feeds: string[], podcast: string, stories: number, language = "en"): string {
  return `edition:
  language: ${language}
  stories: ${stories}
  window_hours: 24
  timezone: Europe/London
  anchors: 1
  target_words: 60
feeds:
${feeds.map((f) => `  - {file: "${f}"}`).join("\n")}
providers:
  offline: {camp: local, kind: offline}
roles:
  default: [offline/extractive]
allow_single_camp: true
podcast:
  title: ${podcast}
`;
}

/** Runs one edition of the show at `now` through ingest, editor and fact-check. */
async function runEdition(config: string, now: Date, slot: SlotName) {
  const db = pipelines.db();
  const parsed = parseConfig(config, "/tmp/pipeline-test/newsroom.yaml", {});
  const p = pipelines.open(config, {}, ingestHandlers({ config: parsed }));
  const { editionId } = await requestEdition({ db, config: parsed, now, slot });
  await drive(p);
  const stories = await storiesOf(db, editionId);
  const selected = stories.filter((s) => s.rank !== null).sort((a, b) => a.rank! - b.rank!);
  const edition = await db.selectFrom("editions").selectAll().where("id", "=", editionId).executeTakeFirstOrThrow();
  const picked = await db.selectFrom("reviews").select("verdict").where("edition_id", "=", editionId).where("script_id", "is", null).execute();
  return { editionId, stories, selected, notes: readNotes(edition.notes), editorPicks: picked.map((r) => r.verdict.split(",")) };
}

const urls = async (storyId: string) => (await sourcesOf(pipelines.db(), storyId)).map((s) => s.url!).sort();

const item = (slug: string, title: string, hoursAgo: number, body: string): Item => ({ title, link: `https://${slug}`, hoursAgo, body });

/**
 * A morning edition over one feed file, then an evening edition of the same show over the same
 * feed plus `newItems` (dated after the morning). `aired` maps each morning story's source URLs
 * to it; `repeats` are the evening's stories that carry any of them.
 */
async function morningThenEvening(o: { podcast: string; language: "zh" | "en"; stories: number; morningItems: Item[]; newItems: Item[] }) {
  const file = join(mkdtempSync(join(tmpdir(), "memory-")), "wire.xml");
  const config = yaml([file], o.podcast, o.stories, o.language);
  writeFileSync(file, rss("Wire", o.morningItems, MORNING, o.language));
  const morning = await runEdition(config, MORNING, "morning");
  expect(morning.selected).toHaveLength(o.stories);
  const aired = new Map<string, string>();
  for (const s of morning.selected) for (const u of await urls(s.id)) aired.set(u, s.id);

  writeFileSync(file, rss("Wire", [...o.morningItems, ...o.newItems], MORNING, o.language));
  const evening = await runEdition(config, EVENING, "evening");
  expect(evening.selected).toHaveLength(o.stories);
  expect(evening.selected.every((s) => s.status === "approved")).toBe(true);
  const repeats = [];
  for (const s of evening.selected) if ((await urls(s.id)).some((u) => aired.has(u))) repeats.push(s);
  return { evening, aired, repeats, update: evening.selected.find((s) => s.update_of) };
}

describe("the lineup's second look (offline, through the ingest)", () => {
  it("two reports of one event become one story; the promotion and the commentary stay out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "same-event-"));
    const wire: Item[] = [
      item("wire.example/typhoon", "Typhoon Mangkhut makes landfall in Guangdong", 2, "Typhoon Mangkhut made landfall in Taishan, in Guangdong province, on Sunday afternoon with winds of 162 kilometres per hour. Authorities had evacuated 2.45 million people before the storm arrived. Hong Kong raised its highest storm signal for ten hours."),
      item("wire.example/rates", "Central bank holds interest rate at 3.5 percent", 5, "The central bank kept its benchmark interest rate at 3.5 percent on Wednesday, as most economists had expected. Governor Lena Park said inflation had fallen to 2.4 percent in October but remained above target for services."),
      item("wire.example/library", "City library extends opening hours to midnight", 6, "The city library will stay open until midnight on weekdays from April, the culture department said. The change costs 300,000 dollars a year and adds 25 staff. Students had asked for later hours during exams."),
      item("wire.example/sale", "Sponsored: spring sale at Harbour Mall, 40% off everything", 1, "Sponsored content. Harbour Mall opens its spring sale on Saturday with 40% off across 120 shops. Use promo code SPRING for a further discount."),
      item("wire.example/opinion", "Opinion: the council should rethink its budget", 1, "The council's new budget asks too little of the city's largest landlords, and residents will pay for it. It is time for a rethink."),
    ];
    const local: Item[] = [
      item("local.example/storm", "Millions moved to safety as super storm strikes southern China", 3, "More than 2,450,000 residents were moved out of harm's way as the strongest storm of the year struck the coast near Taishan. Gusts of 162 km/h tore down trees and scaffolding in Hong Kong, where Mangkhut brought the city to a standstill."),
      item("local.example/rovers", "Local team wins regional championship 3-1", 4, "The Harbour City Rovers beat Northfield 3-1 on Saturday to win the regional championship for the first time since 2008. Striker Tom Baker scored twice in the second half. About 18,000 fans watched the final at Riverside Stadium."),
    ];
    const files = [join(dir, "wire.xml"), join(dir, "local.xml")];
    writeFileSync(files[0], rss("Wire Service", wire, MORNING));
    writeFileSync(files[1], rss("Harbour City Local", local, MORNING));
    const run = await runEdition(yaml(files, "Same Event Briefing", 4), MORNING, "morning");

    // The ingest kept the two reports apart, and an editor picked both: without the check, the lineup would carry the event twice.
    const reports = ["https://wire.example/typhoon", "https://local.example/storm"];
    const reportStory = async (url: string) => (await pipelines.db().selectFrom("sources").select("story_id").where("edition_id", "=", run.editionId).where("url", "=", url).executeTakeFirstOrThrow()).story_id;
    const notes = run.notes.filter((n) => n.kind === "same_event");
    expect(notes).toHaveLength(1);
    const merged = notes[0].kind === "same_event" ? notes[0].merged_story_id : "";
    expect(run.stories.find((s) => s.id === merged)!.rank).toBeNull();
    expect(run.editorPicks.some((picks) => picks.includes(merged))).toBe(true);

    // One story for the event, holding both reports.
    const holders = [];
    for (const s of run.selected) if ((await urls(s.id)).some((u) => reports.includes(u))) holders.push(s.id);
    expect(holders).toHaveLength(1);
    expect(await urls(holders[0])).toEqual([...reports].sort());
    expect(await reportStory(reports[1])).toBe(holders[0]);
    expect(run.selected).toHaveLength(4);
    expect(run.selected.every((s) => s.status === "approved")).toBe(true);
    // No promotion; the commentary is left out (there is news enough) or labelled.
    const titles = run.selected.map((s) => s.title);
    expect(titles.filter((t) => /sale|sponsored/i.test(t))).toEqual([]);
    expect(titles.filter((t) => /council should rethink/.test(t) && !/^Commentary: /.test(t))).toEqual([]);
    expect(run.notes.filter((n) => n.kind === "not_news").map((n) => n.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/spring sale.*promotion/), expect.stringMatching(/rethink its budget.*commentary/)]),
    );
  }, 240_000);

  it("bilingual: a zh and an en report of one event that share only names (李强 / Li Qiang, 台山 / Taishan) become one story; another event in that city stays its own", async () => {
    const dir = mkdtempSync(join(tmpdir(), "same-event-names-"));
    const zh: Item[] = [
      item("xinhua.example/visit", "国务院总理李强赴台山考察灾后恢复", 1, "国务院总理李强在广东台山考察防汛救灾工作，看望慰问抢修电力的救援人员。他要求尽快恢复供电供水，帮助受灾群众重建家园。"),
      item("xinhua.example/rail", "京沪高铁新增夜间列车", 6, "国铁集团宣布，京沪高铁将从下周一起新增四对夜间列车。新列车晚上十点从北京南站和上海虹桥站对开，次日早上六点到达。"),
    ];
    const en: Item[] = [
      item("wire.example/visit", "Premier Li Qiang visits typhoon-hit Taishan", 2, "Premier Li Qiang inspected flood defences in Taishan, Guangdong Province, and met rescue crews working to restore power. He asked officials to restore water and electricity quickly and to help residents rebuild their homes."),
      item("wire.example/reactor", "Second reactor at Taishan nuclear plant enters commercial operation", 3, "The second reactor at the Taishan nuclear power plant has entered commercial operation, its operator said. It can supply 12 billion kilowatt-hours of electricity a year."),
      item("wire.example/rates", "Central bank holds interest rate at 3.5 percent", 7, "The central bank kept its benchmark interest rate at 3.5 percent, as most economists had expected. Governor Lena Park said inflation had fallen to 2.4 percent in October."),
    ];
    const files = [join(dir, "xinhua.xml"), join(dir, "wire.xml")];
    writeFileSync(files[0], rss("新华社", zh, MORNING, "zh"));
    writeFileSync(files[1], rss("Wire Service", en, MORNING));
    const run = await runEdition(yaml(files, "Names Briefing", 3, "bilingual"), MORNING, "morning");

    const visits = ["https://wire.example/visit", "https://xinhua.example/visit"];
    const notes = run.notes.filter((n) => n.kind === "same_event");
    expect(notes).toHaveLength(1);
    expect(notes[0].message).toMatch(/li qiang.*taishan|taishan.*li qiang/);
    // The editors picked both reports: without the check the lineup would carry the event twice.
    const merged = notes[0].kind === "same_event" ? notes[0].merged_story_id : "";
    expect(run.editorPicks.some((picks) => picks.includes(merged))).toBe(true);
    const holders = [];
    for (const s of run.selected) if ((await urls(s.id)).some((u) => visits.includes(u))) holders.push(s.id);
    expect(holders).toHaveLength(1);
    expect(await urls(holders[0])).toEqual(visits);
    // The reactor shares the city, not the event: its own story.
    const reactor = [];
    for (const s of run.selected) if ((await urls(s.id)).includes("https://wire.example/reactor")) reactor.push(await urls(s.id));
    expect(reactor).toEqual([["https://wire.example/reactor"]]);
    expect(run.selected).toHaveLength(3);
    expect(run.selected.every((s) => s.status === "approved")).toBe(true);
  }, 240_000);

  it("the evening edition repeats at most one morning story, with a newer source and framed as an update", async () => {
    const { evening, aired, repeats, update } = await morningThenEvening({
      podcast: "Memory Briefing",
      language: "en",
      stories: 3,
      morningItems: [
        item("wire.example/floods", "Heavy rain floods three subway stations", 2, "Heavy overnight rain flooded three subway stations on the Green Line, the transit authority said on Thursday morning. Trains between Central and Riverside were suspended for six hours while crews pumped out water. The weather service recorded 110 millimetres of rain in twelve hours."),
        item("wire.example/bike-lanes", "City council approves network of protected bike lanes", 3, "The city council voted 9 to 2 to build 40 kilometres of protected bike lanes over the next three years. The plan costs 120 million dollars and is funded by a state transport grant. Construction along Harbour Road starts in March."),
        item("wire.example/rates", "Central bank holds interest rate at 3.5 percent", 4, "The central bank kept its benchmark interest rate at 3.5 percent, as most economists had expected. Governor Lena Park said inflation had fallen to 2.4 percent in October but remained above target for services."),
        item("wire.example/speech-model", "Researchers release open speech model for 40 languages", 8, "A university research group released an open speech recognition model that supports 40 languages. The model was trained on 80,000 hours of licensed recordings. It runs on a laptop without a graphics card."),
        item("wire.example/rovers", "Local team wins regional championship 3-1", 9, "The Harbour City Rovers beat Northfield 3-1 to win the regional championship for the first time since 2008. Striker Tom Baker scored twice. About 18,000 fans watched the final at Riverside Stadium."),
      ],
      // A new development of the flood story, and one new story.
      newItems: [
        item("wire.example/floods-reopen", "Green Line reopens after the flood", -9, "The three Green Line subway stations flooded by 110 millimetres of rain reopened on Thursday evening, the transit authority said. Trains between Central and Riverside run on the normal timetable again. Repairs to the pumps cost 2.3 million dollars."),
        item("wire.example/bridge", "Harbour Bridge to close for cable repairs", -8, "The Harbour Bridge will close for 14 days from Monday while engineers replace 220 metres of cables, the roads agency said. Buses will take a diversion through the Eastern Tunnel."),
      ],
    });

    // The editors did want morning stories again: the check left them out, and said so.
    expect(evening.notes.filter((n) => n.kind === "repeat_left_out").length).toBeGreaterThan(0);
    const pickedRepeats = [];
    for (const id of new Set(evening.editorPicks.flat())) if ((await urls(id)).some((u) => aired.has(u) && u !== "https://wire.example/floods")) pickedRepeats.push(id);
    expect(pickedRepeats.length).toBeGreaterThan(0);

    // At most one morning story again: the flood, for its newer source, framed as an update.
    expect(repeats.length).toBeLessThanOrEqual(1);
    expect(evening.selected.filter((s) => s.update_of).map((s) => s.id)).toEqual(repeats.map((s) => s.id));
    expect(update, "the flood story's new development airs").toBeDefined();
    const sources = await sourcesOf(pipelines.db(), update!.id);
    expect(sources.some((s) => new Date(s.published_at) > MORNING)).toBe(true);
    expect((update!.update_of as AiredBefore).story_id).toBe(aired.get("https://wire.example/floods"));
    expect(update!.headline).toMatch(/^Update: /);
    const script = spokenText(await lastScript(pipelines.db(), update!.id));
    expect(script).toMatch(/^An update on a story from our morning edition\. /);
    expect(script).not.toMatch(/An update on.*An update on/s);
    // The others are stories the morning did not air.
    for (const s of evening.selected.filter((x) => x !== update)) {
      expect(s.headline).not.toMatch(/^Update/);
      for (const u of await urls(s.id)) expect(aired.has(u)).toBe(false);
    }
  }, 300_000);

  it("zh: the evening's update opens with 更新：, and the morning's other stories stay out", async () => {
    const { evening, aired, repeats, update } = await morningThenEvening({
      podcast: "早晚报",
      language: "zh",
      stories: 2,
      morningItems: [
        item("xinhua.example/rain", "暴雨致地铁三站停运", 2, "受夜间暴雨影响，地铁绿线三座车站11日清晨被淹，中心站至河畔站区间停运六个小时。气象部门说，12小时降雨量达110毫米，为2019年以来最多。"),
        item("xinhua.example/rail", "京沪高铁新增夜间列车", 3, "国铁集团宣布，京沪高铁将从下周一起新增四对夜间列车。新列车晚上十点从北京南站和上海虹桥站对开，次日早上六点到达。"),
        item("xinhua.example/tax", "小微企业增值税起征点提高到每月15万元", 5, "国务院常务会议决定，小微企业增值税起征点由每月10万元提高到15万元。财政部表示，预计全年为企业减负超过1000亿元。"),
        item("xinhua.example/library", "市图书馆延长开放时间至午夜", 7, "市文化局表示，市图书馆从四月起工作日开放至午夜，每年增加经费30万元，新增工作人员25名。"),
      ],
      newItems: [item("xinhua.example/rain-reopen", "地铁绿线被淹车站恢复运营", -9, "因110毫米暴雨被淹的地铁绿线三座车站11日傍晚恢复运营，中心站至河畔站区间列车按正常时刻表运行。抽水设备维修花费230万元。")],
    });
    expect(aired.has("https://xinhua.example/rain")).toBe(true);
    expect(repeats.length).toBeLessThanOrEqual(1);
    expect(update, "the flood story's new development airs").toBeDefined();
    expect(await urls(update!.id)).toContain("https://xinhua.example/rain-reopen");
    expect((update!.update_of as AiredBefore).story_id).toBe(aired.get("https://xinhua.example/rain"));
    expect(update!.headline).toMatch(/^更新：/);
    expect(spokenText(await lastScript(pipelines.db(), update!.id))).toMatch(/^更新：(?!更新)/);
    const other = evening.selected.find((s) => s !== update)!;
    for (const u of await urls(other.id)) expect(aired.has(u)).toBe(false);
  }, 300_000);
});
