// `newsroom serve site` opens its HTTP port and nothing else: no gRPC health server (it is probed
// at /healthz), and no start warnings about model camps, which mean nothing to it. A service that
// runs models still gets both.
import { mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "@newsroom/platform/config/load";
import { createLogger } from "@newsroom/platform/log";
import { runServices, type RunningServices } from "@newsroom/platform/service/run";
import { servicesNamed } from "@newsroom/cli/services";
import { freePort } from "../support/processes.js";

// Every model in one camp, allowed: loading it warns about the waived trust-nobody rules.
const config = parseConfig(
  `
feeds: [{file: feed.xml}]
providers:
  offline: {kind: offline, camp: local}
roles:
  default: [offline/extractive]
allow_single_camp: true
podcast: {title: Site Test, author: Tests, base_url: "https://pod.example.org/"}
`,
  "/tmp/newsroom-test/newsroom.yaml",
  {},
);

let running: RunningServices | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function serve(names: string[]): Promise<{ lines: string[]; grpcPort: number; sitePort: number }> {
  const [grpcPort, sitePort] = [await freePort(), await freePort()];
  const lines: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "newsroom-serve-site-"));
  running = await runServices(servicesNamed(names), {
    config,
    log: createLogger("test", (l) => lines.push(l), {}),
    env: { OUTPUT_DIR: join(dir, "out"), DATA_DIR: join(dir, "data"), SITE_PORT: String(sitePort), SITE_HOST: "127.0.0.1", GRPC_PORT: String(grpcPort), GRPC_HOST: "127.0.0.1" },
  });
  return { lines, grpcPort, sitePort };
}

/** Whether anything accepts a TCP connection on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

describe("newsroom serve site", () => {
  it("opens only its HTTP port, answers /healthz, and does not warn about model camps", async () => {
    const { lines, grpcPort, sitePort } = await serve(["site"]);
    expect(config.warnings.join("\n")).toMatch(/allow_single_camp is on/);
    expect(running!.grpcPort).toBeUndefined();
    expect(await listening(grpcPort)).toBe(false);
    const health = await fetch(`http://127.0.0.1:${sitePort}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect(lines.join("\n")).toMatch(/serving site/);
    expect(lines.join("\n")).not.toMatch(/camp/);
  }, 60_000);

  it("the pipeline, which runs models, still serves gRPC health and warns", async () => {
    const { lines, grpcPort } = await serve(["all"]);
    expect(running!.grpcPort).toBe(grpcPort);
    expect(await listening(grpcPort)).toBe(true);
    expect(lines.join("\n")).toMatch(/allow_single_camp is on/);
  }, 60_000);
});
