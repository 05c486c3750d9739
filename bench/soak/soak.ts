// The soak: editions back to back on the five service processes (a NATS and a Postgres of its
// own, model roles on a fixed-latency test vendor or the offline models, the local voice). After each edition, once JetStream has nothing pending,
// it samples every service's resident memory and open file descriptors. A leak shows as memory
// that keeps growing after the services are warm, descriptors that pile up, or messages left
// pending; the checks compare the last edition with the one after warm-up.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { DEFAULT_MAX_CONCURRENCY } from "@newsroom/platform/config/schema";
import { DEFAULT_POOL_SIZE } from "@newsroom/platform/db/connect";
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
  /** Descriptors (database connections aside) a service may hold above its baseline. */
  fdSlack?: number;
  log?: (line: string) => void;
}

export interface Sample {
  edition: number;
  wallMs: number;
  rssMb: Record<ServiceName, number>;
  /** Open descriptors other than pooled connections. */
  fds: Record<ServiceName, number>;
  /**
   * Pooled connections by pool (Postgres, the model vendor): a pool opens them as concurrent work
   * needs them and keeps them a while, up to its size, so they are checked against that size.
   */
  pooled: Record<ServiceName, Record<string, number>>;
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

/**
 * A process's open descriptors, and how many of them are TCP connections to each pool's port (the
 * Postgres pool, the HTTP agent's keep-alive connections to the model vendor). Pools open
 * connections lazily as handlers run side by side, so a later edition with a busier moment holds
 * more: those are checked against the pool's size, the rest against a baseline.
 */
export function openFds(pid: number, poolPorts: Record<string, number>): { all: number; pooled: Record<string, number> } {
  const fds = readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      return ""; // closed while listing
    }
  });
  // Socket inode -> the remote port of its TCP connection.
  const remotePort = new Map<string, number>();
  for (const table of ["tcp", "tcp6"]) {
    const rows = readFileSync(`/proc/${pid}/net/${table}`, "utf8").trim().split("\n").slice(1);
    for (const row of rows) {
      const cols = row.trim().split(/\s+/);
      remotePort.set(cols[9], parseInt(cols[2].split(":")[1], 16));
    }
  }
  const ports = fds.map((l) => remotePort.get(/^socket:\[(\d+)\]$/.exec(l)?.[1] ?? ""));
  const pooled = Object.fromEntries(Object.entries(poolPorts).map(([name, port]) => [name, ports.filter((p) => p === port).length]));
  return { all: fds.length, pooled };
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
  // The pools and their sizes: the services' Postgres pool; the vendor's two providers (usco, cnco)
  // at the default max_concurrency each.
  const pools: Record<string, { port: number; size: number }> = { database: { port: Number(new URL(newsroom.postgres.url).port), size: DEFAULT_POOL_SIZE } };
  if (vendor) pools["model vendor"] = { port: Number(new URL(vendor.url).port), size: 2 * DEFAULT_MAX_CONCURRENCY };
  const poolPorts = Object.fromEntries(Object.entries(pools).map(([n, p]) => [n, p.port]));
  const poolSizes = Object.fromEntries(Object.entries(pools).map(([n, p]) => [n, p.size]));
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
      const sample: Sample = { edition: i, wallMs, rssMb: {} as Sample["rssMb"], fds: {} as Sample["fds"], pooled: {} as Sample["pooled"], pending: await pending() };
      for (const name of SERVICE_NAMES) {
        const pid = newsroom.process(name).child.pid!;
        sample.rssMb[name] = rssMb(pid);
        const fds = openFds(pid, poolPorts);
        sample.pooled[name] = fds.pooled;
        sample.fds[name] = fds.all - Object.values(fds.pooled).reduce((a, b) => a + b, 0);
      }
      samples.push(sample);
      log(`edition ${i}: ${(wallMs / 1000).toFixed(1)} s; RSS MB ${SERVICE_NAMES.map((n) => `${n} ${sample.rssMb[n].toFixed(0)}`).join(", ")}; fds ${SERVICE_NAMES.map((n) => sample.fds[n]).join("/")} (+ pooled ${SERVICE_NAMES.map((n) => Object.values(sample.pooled[n]).join("+")).join("/")}); pending ${sample.pending}`);
    }
    const checks = checkSamples(samples, opts.baselineAfter, rssTolerance, fdSlack, poolSizes);
    for (const c of checks) log(`${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
    return { samples, checks, ok: checks.every((c) => c.ok) };
  } finally {
    await nc.close().catch(() => {});
    await newsroom.close();
    vendor?.close();
  }
}

/** The leak checks: the last sample against the baseline one. */
export function checkSamples(samples: Sample[], baselineAfter: number, rssTolerance: number, fdSlack: number, poolSizes: Record<string, number>) {
  const base = samples[baselineAfter - 1];
  const last = samples[samples.length - 1];
  const growth = (n: ServiceName) => (last.rssMb[n] - base.rssMb[n]) / base.rssMb[n];
  const rssOver = SERVICE_NAMES.filter((n) => growth(n) > rssTolerance);
  const fdOver = SERVICE_NAMES.filter((n) => last.fds[n] > base.fds[n] + fdSlack);
  const most = (n: ServiceName, pool: string) => Math.max(0, ...samples.map((s) => s.pooled[n][pool] ?? 0));
  const poolOver = SERVICE_NAMES.filter((n) => Object.entries(poolSizes).some(([pool, size]) => most(n, pool) > size));
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
      name: `pooled connections never above their pool's size (${Object.entries(poolSizes).map(([p, size]) => `${p} ${size}`).join(", ")})`,
      ok: poolOver.length === 0,
      detail: SERVICE_NAMES.map((n) => `${n} ${Object.keys(poolSizes).map((p) => most(n, p)).join("+")}`).join(", "),
    },
    {
      name: "JetStream pending back to 0 after every edition",
      ok: pendingLeft.length === 0,
      detail: pendingLeft.length ? `left after editions ${pendingLeft.map((s) => `${s.edition} (${s.pending})`).join(", ")}` : `${samples.length} editions`,
    },
  ];
}
