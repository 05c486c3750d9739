// A pool of espeak worker threads (./espeak-worker.mjs), each synthesising one text at a time,
// fed from one queue in which urgent texts (first chunks: the audio a listener is waiting to
// start) go ahead of the rest (continuation chunks, whole lines voiced for the bus). A worker
// that dies (a crash, running out of memory, terminated) is replaced, and the text it held is
// synthesised again, first in line.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { parseWav, type Audio } from "../pcm.js";
import { TtsError } from "./types.js";

export interface SpeakRequest {
  /** An espeak voice, e.g. "cmn+f3". */
  voice: string;
  text: string;
  /** Words per minute. */
  speed: number;
}

export interface SpeakOptions {
  /** Served before every queued request that is not urgent. */
  urgent?: boolean;
  /** Aborted while still queued: dropped, never synthesised. */
  signal?: AbortSignal;
}

export interface Spoken {
  audio: Audio;
  /** When the worker thread worked on it: [start, end], epoch milliseconds. */
  ran: [number, number];
}

export interface PoolStats {
  /** Worker threads. */
  size: number;
  /** Workers synthesising now. */
  busy: number;
  /** The most workers ever synthesising at once. */
  peakBusy: number;
  queued: number;
  /** Syntheses finished (audio or error). */
  done: number;
  /** Workers that died and were replaced. */
  replaced: number;
}

/** Workers when the config names none: one per core, at most 4 (each holds the ~18 MB engine). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** A text whose worker died this many times is failed instead of tried again: it may be what kills them. */
const MAX_CRASHES = 2;

interface Job {
  id: number;
  request: SpeakRequest;
  urgent: boolean;
  crashes: number;
  resolve(spoken: Spoken): void;
  reject(err: unknown): void;
  /** Stops watching the caller's signal (once the job is with a worker, the worker finishes it). */
  unwatch?(): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  started: Promise<void>;
  job?: Job;
  error?: Error;
}

export class EspeakPool {
  private slots: Slot[] = [];
  private urgent: Job[] = [];
  private rest: Job[] = [];
  private nextId = 1;
  private peakBusy = 0;
  private replaced = 0;
  private done = 0;
  private closed = false;

  constructor(private wanted: number) {
    this.fill();
  }

  /** Grows the pool to `size` workers (it never shrinks while running). */
  grow(size: number): void {
    this.wanted = Math.max(this.wanted, size);
    this.fill();
  }

  /** Resolves when every worker has its engine instantiated and is waiting for work. */
  async ready(): Promise<void> {
    this.fill();
    await Promise.all(this.slots.map((s) => s.started));
  }

  speak(request: SpeakRequest, opts: SpeakOptions = {}): Promise<Spoken> {
    if (this.closed) return Promise.reject(new TtsError("local engine: stopped", true));
    this.fill();
    return new Promise<Spoken>((resolve, reject) => {
      const job: Job = { id: this.nextId++, request, urgent: opts.urgent ?? false, crashes: 0, resolve, reject };
      const { signal } = opts;
      if (signal) {
        if (signal.aborted) return reject(signal.reason);
        const onAbort = () => {
          const queue = job.urgent ? this.urgent : this.rest;
          const i = queue.indexOf(job);
          if (i >= 0) queue.splice(i, 1), reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        job.unwatch = () => signal.removeEventListener("abort", onAbort);
      }
      (job.urgent ? this.urgent : this.rest).push(job);
      this.dispatch();
    });
  }

  stats(): PoolStats {
    return { size: this.slots.length, busy: this.busy(), peakBusy: this.peakBusy, queued: this.urgent.length + this.rest.length, done: this.done, replaced: this.replaced };
  }

  /** The worker threads now in the pool (tests kill one to see it replaced). */
  get workers(): readonly Worker[] {
    return this.slots.map((s) => s.worker);
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopped = new TtsError("local engine: stopped", true);
    for (const job of [...this.urgent, ...this.rest, ...this.slots.flatMap((s) => (s.job ? [s.job] : []))]) job.reject(stopped);
    this.urgent = [];
    this.rest = [];
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private busy(): number {
    return this.slots.filter((s) => s.job).length;
  }

  private fill(): void {
    while (!this.closed && this.slots.length < this.wanted) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(new URL("./espeak-worker.mjs", import.meta.url));
    // An idle worker does not keep the process alive; one with work does (see dispatch).
    worker.unref();
    let started!: () => void;
    let failed!: (err: Error) => void;
    const slot: Slot = { worker, ready: false, started: new Promise<void>((resolve, reject) => ((started = resolve), (failed = reject))) };
    slot.started.catch(() => {}); // awaited by ready(); a failure nobody waited for is handled in onExit
    worker.on("message", (msg: { ready?: boolean; id?: number; wav?: Uint8Array; error?: string; ran?: [number, number] }) => {
      if (msg.ready) {
        slot.ready = true;
        started();
        return this.dispatch();
      }
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      slot.job = undefined;
      worker.unref();
      this.done++;
      if (msg.error) job.reject(new TtsError(`local engine: ${msg.error}`, true));
      else
        try {
          job.resolve({ audio: parseWav(msg.wav!), ran: msg.ran ?? [0, 0] });
        } catch (err) {
          job.reject(new TtsError(`local engine: ${(err as Error).message}`, true));
        }
      this.dispatch();
    });
    worker.on("error", (err) => (slot.error = err));
    worker.on("exit", (code) => {
      failed(slot.error ?? new Error(`exited with code ${code}`));
      this.onExit(slot, code);
    });
    return slot;
  }

  /** A worker the pool did not stop has died: replace it, and give its text to the next free worker. */
  private onExit(slot: Slot, code: number): void {
    const i = this.slots.indexOf(slot);
    if (i < 0 || this.closed) return;
    const why = slot.error?.message ?? `exited with code ${code}`;
    const job = slot.job;
    slot.job = undefined;
    if (job && ++job.crashes >= MAX_CRASHES) job.reject(new TtsError(`local engine crashed ${job.crashes} times on this text (${why})`, false));
    else if (job) this.urgent.unshift(job);
    if (!slot.ready) {
      // It died starting up (the engine cannot load): do not respawn in a loop. The next request tries again.
      this.slots.splice(i, 1);
      if (!this.slots.length) for (const j of this.urgent.splice(0).concat(this.rest.splice(0))) j.reject(new TtsError(`local engine failed to start: ${why}`, true));
      return;
    }
    this.replaced++;
    this.slots[i] = this.spawn();
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.job) continue;
      const job = this.urgent.shift() ?? this.rest.shift();
      if (!job) break;
      job.unwatch?.();
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, ...job.request });
    }
    this.peakBusy = Math.max(this.peakBusy, this.busy());
  }
}
