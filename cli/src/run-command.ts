// Each CLI command, with one error boundary: bad input gets a clear message and exit code 2,
// never a stack trace (set NEWSROOM_DEBUG=1 to see one).
import { resolve } from "node:path";
import { ConfigError, loadConfigFile, maskedConfig } from "@newsroom/platform/config/load";
import { DatabaseUnavailableError, migrate, openDatabase } from "@newsroom/platform/db/connect";
import { settings, SettingsError } from "@newsroom/platform/service/settings";
import { runServiceProcess } from "@newsroom/platform/service/process";
import { listDeadLetters, replayDeadLetter } from "@newsroom/platform/deadletters/ops";
import { connectJetStream } from "@newsroom/platform/bus/jetstream";
import { stringify } from "yaml";
import { SERVICES, servicesNamed } from "./services.js";
import { makeEdition } from "./edition.js";
import { decideReport, listReports, showReport } from "./reports.js";
import { ReportError } from "@newsroom/platform/editorial/reports";
import { requestRemoteEdition } from "./request.js";

type Handler = (...args: any[]) => Promise<void>;

export function runCommand(name: string): Handler {
  return async (...args: any[]) => {
    try {
      await COMMANDS[name](...args);
    } catch (err) {
      process.exitCode = report(err);
    }
  };
}

const COMMANDS: Record<string, Handler> = {
  async edition(opts) {
    const ok = await makeEdition({
      configFile: opts.config,
      outDir: resolve(opts.out),
      dataDir: resolve(opts.data),
      slot: opts.slot,
      now: opts.now,
      verbose: !!opts.verbose,
    });
    if (!ok) process.exitCode = 1;
  },

  async request(opts) {
    const ok = await requestRemoteEdition({ server: opts.server, slot: opts.slot, now: opts.now, watch: opts.watch });
    if (!ok) process.exitCode = 1;
  },

  async serve(names: string[]) {
    await runServiceProcess(servicesNamed(names));
  },

  async migrate() {
    const s = settings(process.env, { services: SERVICES.map((x) => x.name) });
    const db = await openDatabase(s.databaseUrl ? { url: s.databaseUrl } : { dataDir: s.dataDir });
    try {
      const applied = await migrate(db);
      console.log(applied.length ? `applied: ${applied.join(", ")}` : "schema is up to date");
    } finally {
      await db.destroy();
    }
  },

  async "check-config"(opts) {
    const file = opts.config ?? process.env.NEWSROOM_CONFIG ?? "newsroom.yaml";
    const config = loadConfigFile(file);
    for (const w of config.warnings) console.error(`warning: ${w}`);
    process.stdout.write(stringify(maskedConfig(config)));
    console.error(`${config.source}: valid`);
  },

  async "dead-letters list"(opts) {
    await withDb(async (db) => {
      const rows = await listDeadLetters(db, { consumer: opts.consumer, includeReplayed: !!opts.all });
      if (!rows.length) return console.log("no dead letters");
      for (const r of rows)
        console.log(`${r.id}\t${new Date(r.created_at).toISOString()}\t${r.consumer}\t${r.subject}\tdeliveries=${r.deliveries}\t${r.replayed_at ? "replayed" : ""}\t${r.reason}`);
    });
  },

  async "dead-letters replay"(id: number) {
    const s = settings(process.env);
    if (!s.natsUrl) throw new SettingsError("replaying needs the bus: set NATS_URL and DATABASE_URL");
    await withDb(async (db) => {
      const bus = await connectJetStream({ url: s.natsUrl!, user: s.natsUser, pass: s.natsPass, name: "newsroom-cli" });
      try {
        await replayDeadLetter(db, bus, id);
        console.log(`dead letter ${id} published again`);
      } finally {
        await bus.close();
      }
    });
  },

  async "reports list"(opts) {
    await withDb((db) => listReports(db, { status: opts.status, edition: opts.edition }, console.log));
  },

  async "reports show"(id: string) {
    await withDb((db) => showReport(db, id, console.log));
  },

  async "reports decide"(id: string, decision: string, opts) {
    await withDb((db) => decideReport(db, id, decision, opts.reason, console.log));
  },
};

async function withDb(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<void>) {
  const s = settings(process.env);
  const db = await openDatabase(s.databaseUrl ? { url: s.databaseUrl } : { dataDir: s.dataDir });
  try {
    await fn(db);
  } finally {
    await db.destroy();
  }
}

function report(err: unknown): number {
  if (process.env.NEWSROOM_DEBUG) console.error(err);
  if (err instanceof ConfigError || err instanceof SettingsError || err instanceof DatabaseUnavailableError || err instanceof ReportError) {
    console.error(`newsroom: ${err.message}`);
    return 2;
  }
  const msg = err instanceof Error ? err.message : String(err);
  console.error(`newsroom: ${msg}`);
  return 1;
}
