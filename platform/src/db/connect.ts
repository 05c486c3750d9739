// Opens the database: Postgres when DATABASE_URL is given, otherwise PGlite in a data folder.
import { mkdirSync } from "node:fs";
import { Kysely, Migrator, PostgresDialect, sql } from "kysely";
import type { Database } from "./schema.js";
import { migrations } from "./migrations.js";
import { lockedSessionDialect } from "./pglite.js";

export type Db = Kysely<Database>;

export interface DbOptions {
  /** postgres://... ; when absent, PGlite is used. */
  url?: string;
  /** PGlite data folder; "memory://" for a throwaway database. */
  dataDir?: string;
  poolSize?: number;
}

export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

/** Connections a service's Postgres pool may open (opened as concurrent work needs them, then kept). */
export const DEFAULT_POOL_SIZE = 10;

export async function openDatabase(opts: DbOptions): Promise<Db> {
  let db: Db;
  if (opts.url) {
    const { default: pg } = await import("pg");
    // bigint (int8) columns: ids and counts stay well inside 2^53 here.
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? DEFAULT_POOL_SIZE, connectionTimeoutMillis: 5_000 });
    // An idle client whose server went away (restart, failover, DROP DATABASE) emits an error on
    // the pool; unhandled it would end the process. The next query gets a fresh connection, and a
    // running service's dependency watch reports the outage once (not once per pooled connection).
    pool.on("error", () => {});
    // A checked-out client (inside a transaction, between statements) has no pool listener: when
    // the server dies then (a crash, `pg_ctl stop -m immediate`) its 'error' event would end the
    // process. The statement in flight, if any, fails with the error anyway; the pool replaces it.
    pool.on("connect", (client) => client.on("error", () => {}));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      await sql`select 1`.execute(db);
    } catch (err) {
      await db.destroy().catch(() => {});
      throw new DatabaseUnavailableError(`cannot reach Postgres at ${redactUrl(opts.url)}: ${(err as Error).message || (err as { code?: string }).code}`);
    }
  } else {
    const { PGlite } = await import("@electric-sql/pglite");
    const { KyselyPGlite } = await import("kysely-pglite");
    const dir = opts.dataDir ?? "memory://";
    if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true });
    const pglite = await PGlite.create(dir);
    db = new Kysely<Database>({ dialect: lockedSessionDialect(new KyselyPGlite(pglite).dialect) });
  }
  return db;
}

/** Brings the schema up to date; safe to run from several processes (Postgres serialises it with a lock). */
export async function migrate(db: Db): Promise<string[]> {
  // Issues' migrations are built side by side and merged in any order ("0012_performance" may have
  // run on a database before "0008_trust_nobody" existed): run whichever are pending, each once.
  const migrator = new Migrator({ db, provider: migrations, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new Error(`migration failed: ${(error as Error).message}`);
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** Fails with a clear message when the schema is missing, instead of a raw "relation does not exist". */
export async function assertMigrated(db: Db): Promise<void> {
  const rows = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = 'outbox'`.execute(db);
  if (!rows.rows[0] || rows.rows[0].n === 0)
    throw new DatabaseUnavailableError("the database has no newsroom tables: run `npx newsroom migrate` first");
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, "//$1:***@");
}
