// The chaos suite: the five services as separate processes on a NATS and a Postgres of the
// suite's own. It makes an edition undisturbed, then the same edition (same feeds, same `now`)
// while it SIGKILLs and restarts each service in turn, kills and restarts NATS, and stops Postgres
// with `-m immediate` and starts it again. Each fault is timed from the moment it is dealt to all
// five services answering SERVING again. The edition under faults must keep every story of the
// undisturbed one, have no story or segment twice, the same audio length within a few percent, no
// dead letters, and be published within its deadline.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import type { Db } from "@newsroom/platform/db/connect";
import { SERVICE_NAMES, startNewsroom, type ServiceName } from "./newsroom.js";

const run = promisify(execFile);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type Fault = `kill ${ServiceName}` | "kill nats" | "stop postgres";
// The servers first: they come back in seconds, so they land mid-edition even when service
// restarts (cold starts) are slow and the edition is short.
export const ALL_FAULTS: Fault[] = ["stop postgres", "kill nats", ...SERVICE_NAMES.map((n) => `kill ${n}` as const)];

export interface ChaosOptions {
  faults?: Fault[];
  stories?: number;
  /** Pause between one fault's recovery and the next fault. */
  gapMs?: number;
  /** How long an edition may take before the run gives up on it. */
  editionTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface EditionFigures {
  id: string;
  wallMs: number;
  /** Titles of the stories in the lineup, by rank. */
  stories: string[];
  audioSeconds: number;
  chapters: string[];
  duplicateStoryRows: number;
  deadLetters: number;
  withinDeadline: boolean;
}

export interface FaultReport {
  fault: Fault;
  /** Seconds into the edition when the fault was dealt. */
  atS: number;
  /** From the fault to all five services SERVING again. */
  recoveryMs: number;
  /** False when the edition was published before the fault was dealt. */
  duringEdition: boolean;
}

export interface ChaosReport {
  undisturbed: EditionFigures;
  faulted: EditionFigures;
  faults: FaultReport[];
  invariants: { name: string; ok: boolean; detail: string }[];
  ok: boolean;
}

export async function runChaos(opts: ChaosOptions = {}): Promise<ChaosReport> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const faults = opts.faults ?? ALL_FAULTS;
  const gapMs = opts.gapMs ?? 1_000;
  const newsroom = await startNewsroom({ stories: opts.stories ?? 3, editionTimeoutMs: opts.editionTimeoutMs });
  const { db } = newsroom;
  try {
    log(`five services up on NATS ${newsroom.nats.url} and Postgres ${newsroom.postgres.url}`);
    log("undisturbed edition");
    const first = await newsroom.edition();
    const undisturbed = await figures(db, first.id, first.wallMs);
    log(`  published in ${(undisturbed.wallMs / 1000).toFixed(1)} s: ${undisturbed.stories.length} stories, ${undisturbed.audioSeconds.toFixed(1)} s of audio`);

    log("the same edition under faults");
    const reports: FaultReport[] = [];
    const deal = async (fault: Fault) => {
      if (fault === "kill nats") {
        await newsroom.nats.kill();
        await sleep(1_000);
        await newsroom.nats.start();
      } else if (fault === "stop postgres") {
        await newsroom.postgres.stopImmediate();
        await sleep(1_000);
        await newsroom.postgres.start();
      } else {
        await newsroom.killAndRestart(fault.slice("kill ".length) as ServiceName);
      }
    };
    const second = await newsroom.edition(async (editionId, startedAt) => {
      for (const fault of faults) {
        const status = (await db.selectFrom("editions").select("status").where("id", "=", editionId).executeTakeFirst().catch(() => undefined))?.status;
        const dealt = Date.now();
        await deal(fault);
        await newsroom.untilServing();
        const report = { fault, atS: (dealt - startedAt) / 1000, recoveryMs: Date.now() - dealt, duringEdition: status !== "published" };
        reports.push(report);
        log(`  ${fault} at ${report.atS.toFixed(1)} s: all SERVING again after ${(report.recoveryMs / 1000).toFixed(1)} s${report.duringEdition ? "" : " (the edition was already published)"}`);
        await sleep(gapMs);
      }
    });
    const faulted = await figures(db, second.id, second.wallMs);
    log(`  published in ${(faulted.wallMs / 1000).toFixed(1)} s: ${faulted.stories.length} stories, ${faulted.audioSeconds.toFixed(1)} s of audio`);

    const invariants = check(undisturbed, faulted);
    for (const i of invariants) log(`  ${i.ok ? "ok  " : "FAIL"} ${i.name}: ${i.detail}`);
    return { undisturbed, faulted, faults: reports, invariants, ok: invariants.every((i) => i.ok) };
  } finally {
    await newsroom.close();
  }
}

/** Audio length may differ this much (the same text voiced again by the same engine). */
const AUDIO_TOLERANCE = 0.03;

function check(u: EditionFigures, f: EditionFigures) {
  const missing = u.stories.filter((t) => !f.stories.includes(t));
  const twice = f.stories.filter((t, i) => f.stories.indexOf(t) !== i);
  const chaptersTwice = f.chapters.filter((t, i) => f.chapters.indexOf(t) !== i);
  const audioDiff = Math.abs(f.audioSeconds - u.audioSeconds) / u.audioSeconds;
  return [
    { name: "every story of the undisturbed edition", ok: missing.length === 0, detail: missing.length ? `missing: ${missing.join("; ")}` : `${u.stories.length} of ${u.stories.length}` },
    {
      name: "no story or segment twice",
      ok: twice.length === 0 && chaptersTwice.length === 0 && f.duplicateStoryRows === 0,
      detail: `${f.stories.length} stories, ${f.chapters.length} chapters, ${f.duplicateStoryRows} doubled story rows${twice.length + chaptersTwice.length ? `; twice: ${[...twice, ...chaptersTwice].join("; ")}` : ""}`,
    },
    { name: "audio length within 3%", ok: audioDiff <= AUDIO_TOLERANCE, detail: `${u.audioSeconds.toFixed(1)} s undisturbed, ${f.audioSeconds.toFixed(1)} s under faults (${(audioDiff * 100).toFixed(1)}%)` },
    { name: "no dead letters", ok: f.deadLetters === 0, detail: `${f.deadLetters}` },
    { name: "published within its deadline", ok: f.withinDeadline, detail: `in ${(f.wallMs / 1000).toFixed(1)} s` },
  ];
}

async function figures(db: Db, id: string, wallMs: number): Promise<EditionFigures> {
  const edition = await db.selectFrom("editions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const stories = await db.selectFrom("stories").select(["title"]).where("edition_id", "=", id).where("rank", "is not", null).where("status", "!=", "dropped").orderBy("rank").execute();
  const dup = await sql<{ n: number }>`select (count(*) - count(distinct cluster_key))::int as n from stories where edition_id = ${id}`.execute(db);
  const dead = await db.selectFrom("dead_letters").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  const mp3 = join(edition.location!, "edition.mp3");
  const chaptersFile = join(edition.location!, "chapters.json");
  const chapters = existsSync(chaptersFile) ? (JSON.parse(readFileSync(chaptersFile, "utf8")).chapters as { title: string }[]).map((c) => c.title) : [];
  return {
    id,
    wallMs,
    stories: stories.map((s) => s.title),
    audioSeconds: await mp3Seconds(mp3),
    chapters,
    duplicateStoryRows: dup.rows[0].n,
    deadLetters: dead.n,
    withinDeadline: !!edition.published_at && new Date(edition.published_at) <= new Date(edition.deadline_at),
  };
}

async function mp3Seconds(file: string): Promise<number> {
  const { stdout } = await run("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file]);
  return Number(stdout.trim());
}
