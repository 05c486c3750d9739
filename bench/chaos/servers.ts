// A NATS server and a Postgres cluster of the chaos suite's own, so it may kill them: NATS with
// JetStream and its own store folder on a free port; Postgres from initdb in a temp folder (run as
// the postgres user when this process is root, since Postgres refuses to run as root).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "../../test/support/processes.js";
import { reachable } from "../../test/support/services.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitReachable(url: string, port: number, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await reachable(url, port))) {
    if (Date.now() > until) throw new Error(`${what} did not open ${url} in ${timeoutMs} ms`);
    await sleep(100);
  }
}

export interface OwnNats {
  url: string;
  /** SIGKILL, no goodbye. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startOwnNats(): Promise<OwnNats> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), "chaos-nats-"));
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", store], { stdio: "ignore" });
    child.once("error", (err) => console.error(`nats-server: ${err.message}`));
    await waitReachable(url, port, "nats-server");
  };
  const kill = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url,
    kill,
    start,
    async close() {
      await kill();
      rmSync(store, { recursive: true, force: true });
    },
  };
}

export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** `pg_ctl stop -m immediate`: every backend dies at once, no checkpoint (crash recovery on start). */
  stopImmediate(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function pgBin(name: string): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, "bin", name))) return join(root, v, "bin", name);
  return name; // on PATH
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "chaos-pg-"));
  const data = join(dir, "data");
  const asRoot = userInfo().uid === 0;
  // Postgres will not run as root: the folder goes to the postgres user, and so do the commands.
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (bin: string, args: string[]) =>
    asRoot ? execFileSync("runuser", ["-u", "postgres", "--", pgBin(bin), ...args], { stdio: "pipe" }) : execFileSync(pgBin(bin), args, { stdio: "pipe" });
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const start = async () => {
    run("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-t", "60", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
    await waitReachable(url, port, "postgres");
  };
  await start();
  return {
    url,
    async stopImmediate() {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    },
    start,
    async close() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The first tool the suite needs that this machine lacks (nats-server, initdb, ffprobe), or undefined. */
export function missingServerTools(): string | undefined {
  for (const [tool, args] of [["nats-server", ["--version"]], ["ffprobe", ["-version"]], [pgBin("initdb"), ["--version"]]] as const) {
    try {
      execFileSync(tool, [...args], { stdio: "ignore" });
    } catch {
      return tool.endsWith("initdb") ? "initdb (postgresql)" : tool;
    }
  }
  return undefined;
}

/** Like `need()` for the shared servers: true when the tools are there; otherwise throws in CI and returns false (skip) elsewhere. */
export function needServerTools(): boolean {
  const missing = missingServerTools();
  if (!missing) return true;
  const msg = `${missing} is missing; install nats-server, postgresql and ffmpeg (see README "Running the tests")`;
  if (process.env.CI === "true") throw new Error(msg);
  console.warn(`SKIPPED: ${msg}`);
  return false;
}
