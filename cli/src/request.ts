// `newsroom request`: ask a running newsroom (its ingest service's Newsroom gRPC API) for an
// edition and follow it until it is published. GRPC_AUTH_TOKEN and GRPC_TLS* are read as the
// services read them.
import { NewsroomServiceClient, type WatchEditionResponse } from "@newsroom/proto/newsroom";
import { Slot } from "@newsroom/proto/events";
import { slotToWire, type SlotName } from "@newsroom/platform/editions/slot";
import { grpcClientArgs } from "@newsroom/platform/grpc/client";
import { Metadata, status as Status, type ServiceError } from "@grpc/grpc-js";

export interface RequestOptions {
  server: string;
  slot?: SlotName;
  now?: Date;
  watch: boolean;
}

/** Returns true when the edition was requested (and, with watch, published). */
export async function requestRemoteEdition(opts: RequestOptions): Promise<boolean> {
  const client = new NewsroomServiceClient(opts.server, ...grpcClientArgs(process.env));
  try {
    const slot = opts.slot ? slotToWire(opts.slot) : Slot.SLOT_UNSPECIFIED;
    const res = await new Promise<{ edition?: { editionId: string } }>((resolve, reject) =>
      client.runEdition({ slot, now: opts.now }, new Metadata(), { deadline: Date.now() + 15_000 }, (err, r) => (err ? reject(err) : resolve(r))),
    ).catch((err: ServiceError) => {
      throw new Error(`${opts.server}: ${err.details || err.message}`);
    });
    const id = res.edition!.editionId;
    console.log(`edition ${id} requested`);
    if (!opts.watch) return true;

    return await followEdition(client, opts.server, id);
  } finally {
    client.close();
  }
}

/** Codes that mean the server went away (restart, rollout, network), not that the request is wrong. */
const RECONNECT = new Set([Status.UNAVAILABLE, Status.CANCELLED, Status.DEADLINE_EXCEEDED, Status.INTERNAL, Status.UNKNOWN]);
/** How long to keep reconnecting through one outage before giving up. */
const RECONNECT_FOR_MS = 5 * 60_000;

/**
 * Prints the edition's progress until it is published or failed. When the server goes away (an
 * ingest restart) the watch is opened again with backoff; the server replays from the start, so
 * lines already printed are skipped. Returns true when the edition was published.
 */
async function followEdition(client: NewsroomServiceClient, server: string, id: string): Promise<boolean> {
  const printed = new Set<string>();
  let final: string | undefined;
  let awaySince: number | undefined;
  for (let attempt = 0; ; attempt++) {
    const outcome = await new Promise<{ error?: ServiceError }>((resolve) => {
      const stream = client.watchEdition({ editionId: id });
      stream.on("data", (p: WatchEditionResponse) => {
        awaySince = undefined;
        attempt = 0;
        if (p.status === "published" || p.status === "failed") final = p.status;
        // A status line carries the time of the look (new on every replay), an event line its own.
        const key = p.message === `edition is ${p.status}` ? `status|${p.status}` : `${p.at?.getTime()}|${p.storyId}|${p.stage}|${p.message}`;
        if (printed.has(key)) return;
        printed.add(key);
        console.log(`${(p.at ?? new Date()).toISOString().slice(11, 19)}  ${(p.stage || p.status).padEnd(10)} ${p.message}`);
      });
      stream.on("error", (error: ServiceError) => resolve({ error }));
      stream.on("end", () => resolve({}));
    });
    if (final) return final === "published";
    const err = outcome.error;
    if (err && !RECONNECT.has(err.code)) throw new Error(`${server}: ${err.details || err.message}`);
    const now = Date.now();
    if (awaySince === undefined) {
      awaySince = now;
      console.log(`lost the watch on ${server} (${err ? err.details || err.message : "stream ended early"}); reconnecting`);
    } else if (now - awaySince > RECONNECT_FOR_MS) {
      throw new Error(`${server}: unreachable for ${Math.round((now - awaySince) / 1000)} s while following edition ${id}`);
    }
    await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 5_000)));
  }
}
