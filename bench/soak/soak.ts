// The soak: editions back to back on the five service processes (a NATS and a Postgres of its
// own, model roles on a fixed-latency test vendor or the offline models, the local voice). After each edition, once JetStream has nothing pending,
// it samples every service's resident memory and open file descriptors. A leak shows as memory
// that keeps growing after the services are warm, descriptors that pile up, or messages left
// pending; the checks compare the last edition with the one after warm-up.
import { readdirSync, readFileSync } from "node:fs";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { SERVICE_NAMES, startNewsroom, type ServiceName } from "../chaos/newsroom.js";
import { startVendorProcess } from "../edition/vendor-process.js";

export interface SoakOptions {
  editions: number;
  /** The edition after which the services count as warm: the baseline of the checks. */
  baselineAfter: number;
  stories?: number;
  /** Model roles on a test vendor in its own process answering every call after this many ms; without it, the offline models. */
  vendorLatencyMs?: number;
  /** How much a service's RSS may exceed its baseline at the end. */
  rssTolerance?: number;
  /** Descriptors a service may hold above its baseline (pooled connections come and go). */
  fdSlack?: number;
  log?: (line: string) => void;
}

export interface Sample {
  edition: number;
  wallMs: number;
  rssMb: Record<ServiceName, number>;
  fds: Record<ServiceName, number>;
  /** Messages pending or awaiting ack across every consumer. */
  pending: number;
}

export interface SoakReport {
  samples: Sample[];
  checks: { name: string; ok: boolean; detail: string }[];
  ok: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
  return kb / 1024;
}

export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const rssTolerance = opts.rssTolerance ?? 0.15;
  const fdSlack = opts.fdSlack ?? 4;
  if (opts.baselineAfter < 1 || opts.baselineAfter >= opts.editions) throw new Error("baselineAfter: expected 1 to editions - 1");
  const vendor = opts.vendorLatencyMs === undefined ? undefined : await startVendorProcess(opts.vendorLatencyMs);
  const newsroom = await startNewsroom({ stories: opts.stories ?? 3, vendor }).catch((err: unknown) => {
    vendor?.close();
    throw err;
  });
  const nc = await connect({ servers: newsroom.nats.url });
  try {
    const jsm = await jetstreamManager(nc);
    const pending = async () => {
      let n = 0;
      for await (const c of jsm.consumers.list("NEWSROOM")) n += c.num_pending + c.num_ack_pending;
      return n;
    };
    const samples: Sample[] = [];
    for (let i = 1; i <= opts.editions; i++) {
      const { wallMs } = await newsroom.edition();
      // Let the last acks and consumers settle (a liveness bound, not a measurement).
      for (let t = 0; t < 100 && (await pending()) > 0; t++) await sleep(300);
      await sleep(1_000);
      const sample: Sample = { edition: i, wallMs, rssMb: {} as Sample["rssMb"], fds: {} as Sample["fds"], pending: await pending() };
      for (const name of SERVICE_NAMES) {
        const pid = newsroom.process(name).child.pid!;
        sample.rssMb[name] = rssMb(pid);
        sample.fds[name] = openFds(pid);
      }
      samples.push(sample);
      log(`edition ${i}: ${(wallMs / 1000).toFixed(1)} s; RSS MB ${SERVICE_NAMES.map((n) => `${n} ${sample.rssMb[n].toFixed(0)}`).join(", ")}; fds ${SERVICE_NAMES.map((n) => sample.fds[n]).join("/")}; pending ${sample.pending}`);
    }
    const checks = checkSamples(samples, opts.baselineAfter, rssTolerance, fdSlack);
    for (const c of checks) log(`${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
    return { samples, checks, ok: checks.every((c) => c.ok) };
  } finally {
    await nc.close().catch(() => {});
    await newsroom.close();
    vendor?.close();
  }
}

/** The leak checks: the last sample against the baseline one. */
export function checkSamples(samples: Sample[], baselineAfter: number, rssTolerance: number, fdSlack: number) {
  const base = samples[baselineAfter - 1];
  const last = samples[samples.length - 1];
  const growth = (n: ServiceName) => (last.rssMb[n] - base.rssMb[n]) / base.rssMb[n];
  const rssOver = SERVICE_NAMES.filter((n) => growth(n) > rssTolerance);
  const fdOver = SERVICE_NAMES.filter((n) => last.fds[n] > base.fds[n] + fdSlack);
  const pendingLeft = samples.filter((s) => s.pending > 0);
  return [
    {
      name: `RSS within ${Math.round(rssTolerance * 100)}% of its value after edition ${baselineAfter}`,
      ok: rssOver.length === 0,
      detail: SERVICE_NAMES.map((n) => `${n} ${(growth(n) * 100).toFixed(1)}%`).join(", "),
    },
    {
      name: `open descriptors no more than ${fdSlack} above edition ${baselineAfter}'s`,
      ok: fdOver.length === 0,
      detail: SERVICE_NAMES.map((n) => `${n} ${base.fds[n]}→${last.fds[n]}`).join(", "),
    },
    {
      name: "JetStream pending back to 0 after every edition",
      ok: pendingLeft.length === 0,
      detail: pendingLeft.length ? `left after editions ${pendingLeft.map((s) => `${s.edition} (${s.pending})`).join(", ")}` : `${samples.length} editions`,
    },
  ];
}
