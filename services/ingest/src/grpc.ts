// The Newsroom gRPC API: run an edition, get and list editions, watch one being made.
import { status as Status, type handleUnaryCall, type StatusObject } from "@grpc/grpc-js";
import type {
  Edition as EditionMessage,
  NewsroomServiceServer,
  WatchEditionResponse,
} from "@newsroom/proto/newsroom";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import type { Edition } from "@newsroom/platform/db/schema";
import { EditionNotFoundError, getEdition, listEditions } from "./editions/read.js";
import { EditionRequestError, requestEdition } from "./editions/request.js";
import { slotFromWire, slotToWire, type SlotName } from "@newsroom/platform/editions/slot";
import { watchEdition, type WatchItem } from "./editions/watch.js";
import { Slot } from "@newsroom/platform/events";
import type { Logger } from "@newsroom/platform/log";
import { failCall } from "@newsroom/platform/grpc/handlers";

export interface NewsroomServiceDeps {
  db: Db;
  config: LoadedConfig;
  /** Called after an edition request commits, so the outbox relay publishes at once. */
  onCommitted?: () => void;
  log?: Logger;
  /** How often WatchEdition looks for news. */
  pollMs?: number;
}

const MAX_LIST = 500;

/** A client mistake, answered with INVALID_ARGUMENT. */
class InvalidArgument extends Error {}

export function newsroomServiceImpl(deps: NewsroomServiceDeps): NewsroomServiceServer {
  const { db, config } = deps;
  const toStatus = (err: unknown): Partial<StatusObject> => {
    if (err instanceof EditionNotFoundError) return { code: Status.NOT_FOUND, details: err.message };
    if (err instanceof InvalidArgument || err instanceof EditionRequestError) return { code: Status.INVALID_ARGUMENT, details: err.message };
    deps.log?.error("newsroom API call failed", { error: (err as Error)?.message ?? String(err) });
    return { code: Status.INTERNAL, details: `internal error: ${(err as Error)?.message ?? String(err)}` };
  };
  const unary =
    <Req, Res>(fn: (req: Req) => Promise<Res>): handleUnaryCall<Req, Res> =>
    (call, callback) =>
      fn(call.request).then(
        (res) => callback(null, res),
        (err) => failCall(call, callback as never, toStatus(err)),
      );
  const mustGet = async (id: string) => {
    if (!id) throw new InvalidArgument("edition_id: required");
    const row = await getEdition(db, id);
    if (!row) throw new EditionNotFoundError(id);
    return row;
  };

  return {
    runEdition: unary(async (req) => {
      const { editionId } = await requestEdition({ db, config, slot: slotName(req.slot), now: req.now, onCommitted: deps.onCommitted });
      return { edition: editionMessage(await mustGet(editionId)) };
    }),

    getEdition: unary(async (req) => ({ edition: editionMessage(await mustGet(req.editionId)) })),

    listEditions: unary(async (req) => {
      if (req.limit < 0 || req.limit > MAX_LIST) throw new InvalidArgument(`limit: expected 0 (default 20) to ${MAX_LIST}; found ${req.limit}`);
      return { editions: (await listEditions(db, req.limit || 20)).map(editionMessage) };
    }),

    watchEdition(call) {
      const id = call.request.editionId;
      if (!id) return failCall(call, undefined, toStatus(new InvalidArgument("edition_id: required")));
      const stop = new AbortController();
      call.once("cancelled", () => stop.abort());
      void (async () => {
        try {
          for await (const item of watchEdition(db, id, { pollMs: deps.pollMs, signal: stop.signal })) call.write(watchMessage(id, item));
          if (!call.cancelled) call.end();
        } catch (err) {
          if (!call.cancelled) failCall(call, undefined, toStatus(err));
        }
      })();
    },
  };
}

function slotName(slot: Slot): SlotName | undefined {
  if (slot === Slot.SLOT_UNSPECIFIED) return undefined;
  const name = slotFromWire(slot);
  if (!name) throw new InvalidArgument(`slot: expected SLOT_MORNING, SLOT_EVENING or unset; found ${slot}`);
  return name;
}

export function editionMessage(e: Edition): EditionMessage {
  return {
    editionId: e.id,
    slot: slotToWire(e.slot),
    status: e.status,
    language: e.language,
    now: e.now,
    deadline: e.deadline_at,
    publishedAt: e.published_at ?? undefined,
    location: e.location ?? "",
    storyCount: e.lineup_size ?? 0,
  };
}

function watchMessage(editionId: string, item: WatchItem): WatchEditionResponse {
  if (item.kind === "status")
    return { editionId, storyId: "", stage: "edition", status: item.status, message: `edition is ${item.status}`, at: item.at };
  const e = item.event;
  return { editionId, storyId: e.story_id ?? "", stage: e.stage, status: e.status, message: e.message, at: e.at };
}
