// Buses for the bus tests: the in-process one, and JetStream on the real NATS with a stream of
// its own (deleted afterwards).
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { connectJetStream } from "@newsroom/platform/bus/jetstream";
import { createMemoryBus } from "@newsroom/platform/bus/memory";
import type { Bus } from "@newsroom/platform/bus/types";
import { NATS_URL, uniqueBusNames } from "../support/services.js";

export type BusKind = "memory" | "jetstream";

export interface TestBus {
  bus: Bus;
  prefix: string;
  stream: string;
  /** Another connection to the same bus (a second process, in effect); memory returns the same bus. */
  another(): Promise<Bus>;
  dispose(): Promise<void>;
}

export async function openTestBus(kind: BusKind): Promise<TestBus> {
  const { prefix, stream } = uniqueBusNames();
  if (kind === "memory") {
    const bus = createMemoryBus({ prefix });
    return { bus, prefix, stream, another: async () => bus, dispose: () => bus.close() };
  }
  const opened: Bus[] = [];
  const open = async () => {
    const b = await connectJetStream({ url: NATS_URL, prefix, stream, name: `test-${prefix}` });
    opened.push(b);
    return b;
  };
  const bus = await open();
  return {
    bus,
    prefix,
    stream,
    another: open,
    async dispose() {
      await Promise.all(opened.map((b) => b.close().catch(() => {})));
      await deleteStream(stream);
    },
  };
}

export async function deleteStream(stream: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => {});
  } finally {
    await nc.close();
  }
}

/** Polls until `cond` holds; fails with `what` after `timeoutMs` (a liveness bound, not a timing assertion). */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const bytes = (s: string) => new TextEncoder().encode(s);
export const text = (b: Uint8Array) => new TextDecoder().decode(b);
