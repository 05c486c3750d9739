// Reading editions back: one by id, or the newest first.
import type { Db } from "@newsroom/platform/db/connect";
import type { Edition } from "@newsroom/platform/db/schema";

export class EditionNotFoundError extends Error {
  override name = "EditionNotFoundError";
  constructor(readonly editionId: string) {
    super(`no edition with id ${JSON.stringify(editionId)}`);
  }
}

export async function getEdition(db: Db, id: string): Promise<Edition | undefined> {
  return db.selectFrom("editions").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The newest `limit` editions, newest first. */
export async function listEditions(db: Db, limit = 20): Promise<Edition[]> {
  return db.selectFrom("editions").selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
}
