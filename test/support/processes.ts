// Newsroom service processes for end-to-end tests: spawned through the real CLI, each with its
// own port, logs kept for the failure message.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { checkHealth } from "@newsroom/platform/grpc/health-client";

const ROOT = new URL("../..", import.meta.url).pathname;
export const CLI = join(ROOT, "cli/bin/newsroom.mjs");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.once("error", reject);
  });
}

export interface ServiceProcess {
  name: string;
  port: number;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export async function startService(name: string, env: NodeJS.ProcessEnv, port?: number, healthyTimeoutMs?: number): Promise<ServiceProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [CLI, "serve", name], {
    cwd: ROOT,
    env: { ...env, GRPC_PORT: String(p), GRPC_HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const proc: ServiceProcess = { name, port: p, child, output: () => out, exited };
  try {
    await waitHealthy(proc, healthyTimeoutMs);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  return proc;
}

async function waitHealthy(proc: ServiceProcess, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void proc.exited.then((c) => (exitCode = c));
  while (Date.now() < until) {
    if (exitCode !== undefined) throw new Error(`${proc.name} exited with ${exitCode}:\n${proc.output()}`);
    try {
      if ((await checkHealth(`127.0.0.1:${proc.port}`, { timeoutMs: 1000 })) === "SERVING") return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${proc.name} did not become healthy in ${timeoutMs} ms:\n${proc.output()}`);
}

/** SIGTERM and wait (graceful shutdown); SIGKILL after the timeout. */
export async function stopService(proc: ServiceProcess, timeoutMs = 20_000): Promise<number | null> {
  if (proc.child.exitCode !== null) return proc.child.exitCode;
  proc.child.kill("SIGTERM");
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  return code;
}
