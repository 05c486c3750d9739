// Downloads counted from MP3 requests without keeping addresses: the client is a hash of its
// address and user agent with the day's random salt (one row in the database, shared by the
// replicas); salts and hashes of earlier days are deleted, so nothing ties a count to an address.
// A replica remembers the hashes it has sent today, so a client's range requests send one event.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@newsroom/platform/db/connect";
import { ListenEvent } from "@newsroom/platform/events";
import type { Logger } from "@newsroom/platform/log";
import { writeOutboxEvent } from "@newsroom/platform/outbox/write";

/** Hashes remembered per day and replica; past this the set starts again (the consumer dedupes anyway). */
const SEEN_PER_DAY = 100_000;

export interface DownloadRequest {
  editionId: string;
  address: string;
  userAgent: string;
}

/** A GET of the whole file or of a range from byte 0: what an app's download or a player's first request looks like. */
export function isFromFirstByte(method: string, range: string | undefined): boolean {
  return method === "GET" && (range === undefined || /^bytes=0-/.test(range.trim()));
}

export function downloadCounter(opts: { db: Db; nudgeOutbox(): void; log?: Logger; clock?: () => Date }) {
  const clock = opts.clock ?? (() => new Date());
  let today: Promise<{ day: string; salt: Buffer; seen: Set<string> }> | undefined;
  let todayName = "";

  const dayState = (day: string) => {
    if (day !== todayName) {
      todayName = day;
      today = saltOf(opts.db, day).then((salt) => ({ day, salt, seen: new Set<string>() }));
      today.catch(() => (todayName = ""));
    }
    return today!;
  };

  return async function count(req: DownloadRequest): Promise<void> {
    const day = clock().toISOString().slice(0, 10);
    const state = await dayState(day);
    const client = createHash("sha256").update(state.salt).update(req.address).update("\n").update(req.userAgent).digest("base64url").slice(0, 32);
    const seen = `${req.editionId}/${client}`;
    if (state.seen.has(seen)) return;
    if (state.seen.size >= SEEN_PER_DAY) state.seen.clear();
    state.seen.add(seen);
    await writeOutboxEvent(
      opts.db,
      "listen.recorded",
      { event: ListenEvent.LISTEN_EVENT_DOWNLOAD, session: client, positionMs: 0 },
      { editionId: req.editionId, key: `download:${req.editionId}:${day}:${client}` },
    );
    opts.nudgeOutbox();
  };
}

/**
 * The day's salt: made by the first replica to ask. Earlier days' salts and client hashes are
 * deleted on the way (their downloads are counted in listen_editions; dedupe is within a day).
 */
async function saltOf(db: Db, day: string): Promise<Buffer> {
  await db.deleteFrom("download_salts").where("day", "<", day).execute();
  await db.deleteFrom("listen_downloads").where("day", "<", day).execute();
  await db.insertInto("download_salts").values({ day, salt: randomBytes(32) }).onConflict((oc) => oc.column("day").doNothing()).execute();
  const row = await db.selectFrom("download_salts").select("salt").where("day", "=", day).executeTakeFirstOrThrow();
  return row.salt;
}
