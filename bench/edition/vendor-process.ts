// Starts bench/edition/vendor.ts (the well-behaved fake models, `v-<model>`, each answering after
// a fixed latency) in a process of its own, so its latency is not stretched by the newsroom's work.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface VendorProcess {
  url: string;
  /** The prefix of its model names. */
  prefix: "v";
  close(): void;
}

export async function startVendorProcess(latencyMs: number): Promise<VendorProcess> {
  const vendor = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./vendor.ts", import.meta.url))], {
    env: { ...process.env, LATENCY_MS: String(latencyMs) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: vendor.stdout! }).once("line", resolve);
    vendor.once("exit", (code) => reject(new Error(`the test vendor exited (${code})`)));
  });
  return { url, prefix: "v", close: () => void vendor.kill("SIGTERM") };
}
