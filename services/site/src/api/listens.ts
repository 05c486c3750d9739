// The listening API: the player's beacons (POST /api/v1/listens) and an edition's figures
// (GET /api/v1/editions/<id>/stats). A beacon that passes is one outbox row for listen.recorded;
// a refused one (4xx) writes nothing.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Db } from "@newsroom/platform/db/connect";
import { ListenEvent } from "@newsroom/platform/events";
import { writeOutboxEvent } from "@newsroom/platform/outbox/write";
import type { EditionTimesReader } from "../listens/edition-times.js";
import { readEditionStats } from "../listens/stats.js";
import { jsonBody, perAddressLimit, sendApiError, zodIssues } from "./common.js";

/** A beacon is a few dozen bytes; anything past this is refused with 413 before it is parsed. */
export const BEACON_MAX_BYTES = 512;

/** How far past the edition's end a position may be (players report the padded end). */
const END_SLACK_S = 5;

const EVENTS = { start: ListenEvent.LISTEN_EVENT_START, progress: ListenEvent.LISTEN_EVENT_PROGRESS, complete: ListenEvent.LISTEN_EVENT_COMPLETE } as const;

export const beaconSchema = z
  .strictObject({
    edition: z.string().min(1).max(128),
    event: z.enum(["start", "progress", "complete"]),
    session: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "expected 16 to 64 letters, digits, '-' or '_' (random per page load)"),
    /** Seconds from the start of the edition's MP3. */
    position: z.number().min(0).max(86_400).optional(),
  })
  .refine((b) => b.event !== "progress" || b.position !== undefined, { path: ["position"], message: "a progress beacon needs its position in seconds" });

export type Beacon = z.infer<typeof beaconSchema>;

export interface ListensApiOptions {
  db: Db;
  editionTimes: EditionTimesReader;
  nudgeOutbox(): void;
  /** Requests a minute per address, per route. */
  perMinute: number;
}

export function registerListensApi(app: FastifyInstance, opts: ListensApiOptions): void {
  app.post("/api/v1/listens", { bodyLimit: BEACON_MAX_BYTES, config: perAddressLimit(opts.perMinute) }, async (req, reply) => {
    const body = jsonBody(req.body);
    if (!body.ok) return sendApiError(reply, 400, "the beacon is not JSON");
    const parsed = beaconSchema.safeParse(body.value);
    if (!parsed.success) return sendApiError(reply, 400, "invalid beacon", zodIssues(parsed.error));
    const beacon = parsed.data;
    const times = await opts.editionTimes(beacon.edition);
    if (!times) return sendApiError(reply, 404, `no edition ${JSON.stringify(beacon.edition)}`);
    if ((beacon.position ?? 0) > times.durationMs / 1000 + END_SLACK_S)
      return sendApiError(reply, 400, "invalid beacon", [`position: past the end of the edition (${(times.durationMs / 1000).toFixed(1)} s)`]);

    const positionMs = Math.round((beacon.position ?? 0) * 1000);
    await writeOutboxEvent(
      opts.db,
      "listen.recorded",
      { event: EVENTS[beacon.event], session: beacon.session, positionMs },
      // The same beacon sent twice (a retried request) is one event for the consumer.
      { editionId: times.id, key: `listen:${times.id}:${beacon.session}:${beacon.event}:${positionMs}` },
    );
    opts.nudgeOutbox();
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string } }>("/api/v1/editions/:id/stats", { config: perAddressLimit(opts.perMinute) }, async (req, reply) => {
    const times = await opts.editionTimes(req.params.id);
    if (!times) return sendApiError(reply, 404, `no edition ${JSON.stringify(req.params.id)}`);
    reply.header("cache-control", "no-cache");
    return readEditionStats(opts.db, times);
  });
}
