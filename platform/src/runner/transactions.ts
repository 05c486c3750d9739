// Transactions the runner and the outbox relay open. PGlite is one database session shared by the
// whole process, and kysely-pglite hands it out without a lock, so two transactions at once would
// interleave (one's ROLLBACK would undo the other's work). On PGlite these transactions therefore
// take turns; on Postgres each gets its own pooled connection and nothing waits.
import { sql, type Transaction } from "kysely";
import type { Db } from "../db/connect.js";
import type { Database } from "../db/schema.js";

const singleSession = new WeakMap<Db, Promise<boolean>>();
const turns = new WeakMap<Db, Promise<unknown>>();

function isSingleSession(db: Db): Promise<boolean> {
  let known = singleSession.get(db);
  if (!known) {
    known = sql<{ v: string }>`select version() as v`
      .execute(db)
      .then((r) => /PGlite/i.test(r.rows[0]?.v ?? ""))
      .catch(() => false);
    singleSession.set(db, known);
  }
  return known;
}

export async function inTransaction<T>(db: Db, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  return inTurn(db, () => db.transaction().execute(fn));
}

/** A single statement that must not land inside another transaction on PGlite. */
export async function inTurn<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (!(await isSingleSession(db))) return fn();
  const before = turns.get(db) ?? Promise.resolve();
  const mine = before.catch(() => {}).then(fn);
  turns.set(db, mine.catch(() => {}));
  return mine;
}
