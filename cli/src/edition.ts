// `newsroom edition`: every role in this process on the embedded default (PGlite in a data
// folder, the in-process bus), one edition from request to published, progress as it goes.
import { constants } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { loadConfigFile } from "@newsroom/platform/config/load";
import { requestEdition } from "@newsroom/ingest/editions/request";
import type { SlotName } from "@newsroom/platform/editions/slot";
import { runServices } from "@newsroom/platform/service/run";
import { createLogger } from "@newsroom/platform/log";
import { SettingsError } from "@newsroom/platform/service/settings";
import { SERVICES } from "./services.js";

export interface EditionOptions {
  configFile: string;
  outDir: string;
  dataDir: string;
  slot?: SlotName;
  now?: Date;
  verbose: boolean;
}

/**
 * The command that serves what was made, as a listener and a podcast app need it (byte ranges,
 * captions): the site keeps its own embedded database, so it never shares PGlite with a run.
 */
export function serveCommand(opts: Pick<EditionOptions, "configFile" | "outDir">): string {
  const shown = (p: string) => {
    const r = relative(process.cwd(), resolve(p)) || ".";
    return /^[\w./-]+$/.test(r) ? r : `'${r.replace(/'/g, "'\\''")}'`;
  };
  return `NEWSROOM_CONFIG=${shown(opts.configFile)} OUTPUT_DIR=${shown(opts.outDir)} DATA_DIR=.newsroom/site npx newsroom serve site`;
}

/**
 * The folder made (or found) and writable before any model is asked: an --out that is a file or
 * read-only would otherwise fail only at publishing, after the edition's whole cost was spent.
 */
async function writableFolder(option: string, dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "EEXIST" || code === "ENOTDIR" ? "a file is in the way" : code === "EACCES" || code === "EROFS" ? "not writable" : String(code ?? err);
    throw new SettingsError(`${option} ${dir}: cannot use it as a folder (${why})`);
  }
}

/** Returns true when the edition was published. The last line printed names its folder. */
export async function makeEdition(opts: EditionOptions): Promise<boolean> {
  // Progress lines are the output here; service logs only when asked for (or when something is wrong).
  process.env.LOG_LEVEL ??= opts.verbose ? "info" : "warn";
  // Its warnings are printed once, by the service runner's log.
  const config = loadConfigFile(opts.configFile);
  await writableFolder("--out", opts.outDir);
  await writableFolder("--data", opts.dataDir);
  const started = Date.now();
  let printing: Promise<void> = Promise.resolve();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;

  const running = await runServices(SERVICES, {
    embedded: true,
    config,
    env: { ...process.env, DATA_DIR: opts.dataDir, OUTPUT_DIR: opts.outDir, GRPC_PORT: "0", GRPC_HOST: "127.0.0.1" },
    log: createLogger("newsroom"),
    onProgress: (p) => {
      // Lines stay in order; a story's line ends with its title, looked up once.
      const at = elapsed();
      printing = printing.then(async () => {
        const title = p.storyId ? await titleOf(p.storyId) : "";
        console.log(`${at}  ${p.stage.padEnd(10)} ${p.message}${title ? `  · ${title}` : ""}`);
      });
    },
  });
  const { db } = running.deps;
  const titles = new Map<string, Promise<string>>();
  const titleOf = (id: string) => {
    let t = titles.get(id);
    if (!t) {
      t = db.selectFrom("stories").select("title").where("id", "=", id).executeTakeFirst().then((r) => clip(r?.title ?? "", 48), () => "");
      titles.set(id, t);
    }
    return t;
  };
  let stopped = false;
  const stop = async () => {
    if (!stopped) (stopped = true), await running.stop();
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));

  try {
    const { editionId } = await requestEdition({ db, config, slot: opts.slot, now: opts.now, onCommitted: running.deps.nudgeOutbox });
    console.log(`${elapsed()}  edition    ${editionId} requested (${config.edition.language}, ${config.edition.stories} stories, deadline ${config.edition.deadline_minutes} min)`);

    // The publisher's deadline sweep ships the edition by its deadline; the margin covers assembly.
    const limit = Date.now() + (config.edition.deadline_minutes + 2) * 60_000;
    for (;;) {
      const row = await db.selectFrom("editions").select(["status", "location", "duration_ms"]).where("id", "=", editionId).executeTakeFirstOrThrow();
      if (row.status === "published") {
        await printing;
        const notes = await db.selectFrom("stories").select(({ fn }) => fn.countAll<number>().as("n")).where("edition_id", "=", editionId).where("status", "=", "voiced").executeTakeFirst();
        console.log(`${elapsed()}  published  ${Number(notes?.n ?? 0)} stories, ${Math.round((row.duration_ms ?? 0) / 1000)} s of audio`);
        console.log(`${elapsed()}  open       ${row.location}/index.html`);
        console.log(`${elapsed()}  serve      ${serveCommand(opts)}  # then http://localhost:8080/`);
        console.log(row.location);
        return true;
      }
      if (row.status === "failed") {
        await printing;
        const { notes } = await db.selectFrom("editions").select("notes").where("id", "=", editionId).executeTakeFirstOrThrow();
        const why = (notes as { kind?: string; message?: string }[]).filter((n) => /fail/.test(n.kind ?? "")).map((n) => n.message);
        console.error(`edition ${editionId} failed: ${why.join("; ") || "see its notes in the database"}`);
        return false;
      }
      if (Date.now() > limit) {
        console.error(`edition ${editionId} was not published by its deadline (status ${row.status})`);
        return false;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await stop();
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
