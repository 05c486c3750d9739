// Transactions the runner, the outbox relay and the edition requests open. On PGlite (one session
// for the process) the dialect's lock makes a transaction wait for the session and keeps every
// other statement out until it ends (platform/src/db/pglite.ts); on Postgres each transaction
// gets its own pooled connection and nothing waits.
import type { Transaction } from "kysely";
import type { Db } from "../db/connect.js";
import type { Database } from "../db/schema.js";

export function inTransaction<T>(db: Db, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
