// Voice replicas as separate processes (test/voice/fixtures/voice-worker.ts), and the
// script.approved events they compete for. Shared by the replicas test and bench/voice.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { connectJetStream } from "@newsroom/platform/bus/jetstream";
import type { Bus } from "@newsroom/platform/bus/types";
import type { Db } from "@newsroom/platform/db/connect";
import { encodeEvent, ScriptKind } from "@newsroom/platform/events";
import { deleteStream } from "../bus/harness.js";
import { startFakeMinimax, type FakeVendor } from "../fakes/tts-servers.js";
import { freshPostgres, NATS_URL, uniqueBusNames } from "../support/services.js";
import { seedDialogues } from "./seed.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WORKER = fileURLToPath(new URL("./fixtures/voice-worker.ts", import.meta.url));

export interface ReplicaEnv {
  DATABASE_URL: string;
  NATS_URL: string;
  BUS_PREFIX: string;
  BUS_STREAM: string;
  FAKE_MINIMAX_URL: string;
  MM_KEY: string;
  CONCURRENCY?: string;
}

export interface Replicas {
  /** Script ids each replica (by index) ran the handler for. */
  handled: string[][];
  stop(): Promise<void>;
}

export async function startVoiceReplicas(count: number, env: ReplicaEnv): Promise<Replicas> {
  const procs: ChildProcess[] = [];
  const handled: string[][] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const proc = spawn(process.execPath, ["--import", "tsx", WORKER], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const mine: string[] = [];
    handled.push(mine);
    procs.push(proc);
    let stderr = "";
    proc.stderr!.on("data", (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
    ready.push(
      new Promise<void>((resolve, reject) => {
        let out = "";
        proc.stdout!.on("data", (b: Buffer) => {
          out += b.toString();
          let nl: number;
          while ((nl = out.indexOf("\n")) >= 0) {
            const line = out.slice(0, nl).trim();
            out = out.slice(nl + 1);
            if (line === "READY") resolve();
            else if (line.startsWith("HANDLED ")) mine.push(line.slice(8));
          }
        });
        proc.once("exit", (code) => reject(new Error(`voice replica ${i} exited (${code}) before it was ready:\n${stderr}`)));
      }),
    );
  }
  const stop = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null) return resolve();
            const kill = setTimeout(() => p.kill("SIGKILL"), 10_000);
            p.once("exit", () => (clearTimeout(kill), resolve()));
            p.kill("SIGTERM");
          }),
      ),
    );
  };
  try {
    await Promise.all(ready);
  } catch (err) {
    await stop();
    throw err;
  }
  return { handled, stop };
}

/** Publishes script.approved for each script, as the outbox relay would (message id = key). */
export async function publishApproved(bus: Bus, scripts: { editionId: string; storyId: string; scriptId: string }[]): Promise<void> {
  for (const s of scripts) {
    const key = `approved:${s.scriptId}`;
    const data = encodeEvent("script.approved", {
      meta: { editionId: s.editionId, storyId: s.storyId, idempotencyKey: key, occurredAt: new Date() },
      scriptId: s.scriptId,
      version: 1,
      kind: ScriptKind.SCRIPT_KIND_STORY,
    });
    await bus.publish("script.approved", data, { msgId: key });
  }
}

export interface VoiceCluster {
  db: Db;
  bus: Bus;
  vendor: FakeVendor;
  scripts: { editionId: string; storyId: string; scriptId: string }[];
  replicas: Replicas;
  dispose(): Promise<void>;
}

/**
 * A fresh Postgres database seeded with `scripts` two-anchor scripts, a bus of its own on the
 * real NATS, a MiniMax fake with a fixed latency, and `replicas` voice processes consuming.
 */
export async function startVoiceCluster(opts: { replicas: number; scripts: number; vendorLatencyMs: number; concurrency?: number }): Promise<VoiceCluster> {
  const pg = await freshPostgres();
  const names = uniqueBusNames();
  const vendor = await startFakeMinimax({ latencyMs: opts.vendorLatencyMs });
  const scripts = await seedDialogues(pg.db, opts.scripts, "ed-voice-cluster");
  const bus = await connectJetStream({ url: NATS_URL, prefix: names.prefix, stream: names.stream, name: "voice-cluster" });
  let replicas: Replicas | undefined;
  const dispose = async () => {
    await replicas?.stop();
    await bus.close();
    await deleteStream(names.stream);
    await vendor.close();
    await pg.drop();
  };
  try {
    replicas = await startVoiceReplicas(opts.replicas, {
      DATABASE_URL: pg.url,
      NATS_URL,
      BUS_PREFIX: names.prefix,
      BUS_STREAM: names.stream,
      FAKE_MINIMAX_URL: vendor.url,
      MM_KEY: vendor.apiKey,
      CONCURRENCY: String(opts.concurrency ?? 1),
    });
  } catch (err) {
    await dispose();
    throw err;
  }
  return { db: pg.db, bus, vendor, scripts, replicas, dispose };
}
