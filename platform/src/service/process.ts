// A service process: run the given services until SIGTERM, with one error boundary so a bad
// config, a missing database or an unreachable NATS ends the process with a clear message.
import { createLogger } from "../log.js";
import { runServices } from "./run.js";
import { settings } from "./settings.js";
import type { ServiceSpec } from "./spec.js";

export async function runServiceProcess(specs: ServiceSpec[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = createLogger(specs.length === 1 ? specs[0].name : "newsroom");
  try {
    const running = await runServices(specs, { env, log });
    const timeoutMs = settings(env, { services: specs.map((s) => s.name) }).shutdownTimeoutMs;
    const onSignal = (signal: NodeJS.Signals) => {
      const timer = setTimeout(() => {
        log.error(`shutdown took longer than ${timeoutMs} ms; exiting`);
        process.exit(1);
      }, timeoutMs);
      timer.unref();
      running.stop(signal).then(
        () => process.exit(0),
        (err) => {
          log.error(`shutdown failed: ${(err as Error).message}`);
          process.exit(1);
        },
      );
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  } catch (err) {
    if (env.NEWSROOM_DEBUG) console.error(err);
    log.error(`cannot start: ${(err as Error).message}`);
    // Exit code 2 = configuration or environment problem: restarting will not help.
    process.exit(2);
  }
}
