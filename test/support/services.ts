// Real Postgres and NATS for integration tests. Outside CI a missing server skips the test
// with a message naming what is missing; with CI=true it is a failure.
import { randomBytes } from "node:crypto";
import { createConnection } from "node:net";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { migrate, openDatabase, type Db } from "@newsroom/platform/db/connect";

export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const NATS_URL = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";

export function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const sock = createConnection({ host: u.hostname, port: Number(u.port || defaultPort) });
    sock.setTimeout(1000);
    sock.once("connect", () => (sock.destroy(), resolve(true)));
    sock.once("error", () => resolve(false));
    sock.once("timeout", () => (sock.destroy(), resolve(false)));
  });
}

/** Returns true when the server is there; otherwise throws in CI and returns false (caller skips) elsewhere. */
export async function need(what: "postgres" | "nats"): Promise<boolean> {
  const ok = what === "postgres" ? await reachable(PG_ADMIN_URL, 5432) : await reachable(NATS_URL, 4222);
  if (ok) return true;
  const msg = `${what} is not reachable at ${what === "postgres" ? PG_ADMIN_URL : NATS_URL}; start it (see README "Running the tests")`;
  if (process.env.CI === "true") throw new Error(msg);
  console.warn(`SKIPPED: ${msg}`);
  return false;
}

/** A new, migrated Postgres database of its own; dropped by the returned `drop`. */
export async function freshPostgres(): Promise<{ url: string; db: Db; drop(): Promise<void> }> {
  const name = `nr_test_${randomBytes(5).toString("hex")}`;
  const adminPool = new pg.Pool({ connectionString: PG_ADMIN_URL, max: 1 });
  // DROP ... WITH (FORCE) terminates the test's own connections; that must not be an uncaught error.
  adminPool.on("error", () => {});
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: adminPool }) });
  await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin);
  const url = PG_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const db = await openDatabase({ url, poolSize: 5 });
  await migrate(db);
  return {
    url,
    db,
    async drop() {
      await db.destroy().catch(() => {});
      // Wait for this database's connections to close (processes just stopped), then force the rest.
      for (let i = 0; i < 50; i++) {
        const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = ${name}`.execute(admin);
        if (r.rows[0].n === 0) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(admin).catch(() => {});
      await admin.destroy();
    },
  };
}

/** An in-memory PGlite database, migrated. Start it in beforeAll with a generous timeout. */
export async function freshPglite(): Promise<Db> {
  const db = await openDatabase({ dataDir: "memory://" });
  await migrate(db);
  return db;
}

/** A subject prefix and stream name no other test uses, so tests can share one NATS server. */
export function uniqueBusNames(): { prefix: string; stream: string } {
  const id = randomBytes(4).toString("hex");
  return { prefix: `t${id}`, stream: `T_${id.toUpperCase()}` };
}
