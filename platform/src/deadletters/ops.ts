// What an operator does with dead letters: list them, and replay one onto its subject once the
// cause is fixed. Consumers that already handled the event skip it (processed-event keys).
import type { Selectable } from "kysely";
import type { Bus } from "../bus/types.js";
import type { Db } from "../db/connect.js";
import type { Database } from "../db/schema.js";

export type DeadLetterRow = Selectable<Database["dead_letters"]>;

export interface ListDeadLettersOptions {
  consumer?: string;
  /** Also list the ones already replayed. */
  includeReplayed?: boolean;
}

export async function listDeadLetters(db: Db, opts: ListDeadLettersOptions = {}): Promise<DeadLetterRow[]> {
  let q = db.selectFrom("dead_letters").selectAll().orderBy("id");
  if (opts.consumer) q = q.where("consumer", "=", opts.consumer);
  if (!opts.includeReplayed) q = q.where("replayed_at", "is", null);
  return q.execute();
}

export class DeadLetterNotFoundError extends Error {
  override name = "DeadLetterNotFoundError";
}

/** Re-publishes the letter to its subject with a fresh message id, and marks it replayed. */
export async function replayDeadLetter(db: Db, bus: Bus, id: number): Promise<{ subject: string; msgId: string; duplicate: boolean }> {
  const row = await db.selectFrom("dead_letters").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new DeadLetterNotFoundError(`no dead letter with id ${id}`);
  // The replay time keeps each replay's id new, so the bus does not drop a second replay as a duplicate.
  const msgId = `dlq-replay-${id}-${Date.now()}`;
  const { duplicate } = await bus.publish(row.subject, new Uint8Array(row.payload), { msgId, headers: row.headers ?? {} });
  await db.updateTable("dead_letters").set({ replayed_at: new Date() }).where("id", "=", id).execute();
  return { subject: row.subject, msgId, duplicate };
}
