// What the scout remembers per feed URL for conditional GET: the validators (ETag,
// Last-Modified) and the last body, so a 304 Not Modified still yields the feed's items.
import type { Db } from "@newsroom/platform/db/connect";

export interface FeedState {
  etag: string | null;
  lastModified: string | null;
  body: Buffer | null;
  contentType: string | null;
}

export interface FeedStateStore {
  get(url: string): Promise<FeedState | undefined>;
  put(url: string, state: FeedState): Promise<void>;
}

/** The `feed_state` table. Written outside the edition's transaction: a validator is true whether or not the edition commits. */
export function feedStateTable(db: Db): FeedStateStore {
  return {
    async get(url) {
      const row = await db.selectFrom("feed_state").selectAll().where("url", "=", url).executeTakeFirst();
      return row ? { etag: row.etag, lastModified: row.last_modified, body: row.body ? Buffer.from(row.body) : null, contentType: row.content_type } : undefined;
    },
    async put(url, s) {
      const values = { etag: s.etag, last_modified: s.lastModified, body: s.body, content_type: s.contentType, fetched_at: new Date() };
      await db
        .insertInto("feed_state")
        .values({ url, ...values })
        .onConflict((oc) => oc.column("url").doUpdateSet(values))
        .execute();
    },
  };
}

/** For tests and one-off runs without a database. */
export function memoryFeedState(): FeedStateStore {
  const rows = new Map<string, FeedState>();
  return {
    get: async (url) => rows.get(url),
    put: async (url, state) => void rows.set(url, state),
  };
}
