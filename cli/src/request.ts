// `newsroom request`: ask a running newsroom (its ingest service's Newsroom gRPC API) for an
// edition and follow it until it is published. GRPC_AUTH_TOKEN and GRPC_TLS* are read as the
// services read them.
import { NewsroomServiceClient, type WatchEditionResponse } from "@newsroom/proto/newsroom";
import { Slot } from "@newsroom/proto/events";
import { slotToWire, type SlotName } from "@newsroom/platform/editions/slot";
import { grpcClientArgs } from "@newsroom/platform/grpc/client";
import { Metadata, type ServiceError } from "@grpc/grpc-js";

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

    let last: WatchEditionResponse | undefined;
    await new Promise<void>((resolve, reject) => {
      const stream = client.watchEdition({ editionId: id });
      stream.on("data", (p: WatchEditionResponse) => {
        last = p;
        console.log(`${(p.at ?? new Date()).toISOString().slice(11, 19)}  ${(p.stage || p.status).padEnd(10)} ${p.message}`);
      });
      stream.on("error", (err: ServiceError) => reject(new Error(`${opts.server}: ${err.details || err.message}`)));
      stream.on("end", () => resolve());
    });
    return last?.status === "published";
  } finally {
    client.close();
  }
}
