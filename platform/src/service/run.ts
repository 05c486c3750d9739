// Runs one or more services in this process, in the order every service follows:
// config, telemetry, connect, register handlers, serve, shut down.
import { concernsModels, loadConfigFile, type LoadedConfig } from "../config/load.js";
import { sql } from "kysely";
import { assertMigrated, migrate, openDatabase, redactUrl, type Db } from "../db/connect.js";
import { connectJetStream } from "../bus/jetstream.js";
import { createMemoryBus } from "../bus/memory.js";
import type { Bus } from "../bus/types.js";
import { startOutboxRelay } from "../outbox/relay.js";
import { startConsumers } from "../runner/consumers.js";
import { startProcessedPruning } from "../runner/processed-pruning.js";
import { startGrpcServer } from "../grpc/server.js";
import { startTelemetry } from "../telemetry/sdk.js";
import { createRouter } from "../router/router.js";
import { closeLedger, openLedger } from "../ledger/ledger.js";
import { createLogger, type Logger } from "../log.js";
import { emitsOf, NEWSROOM, rolesOf } from "../newsroom.js";
import type { Router } from "../router/types.js";
import type { Background, ServiceDeps, ServiceSpec } from "./spec.js";
import { watchDependencies, type Dependency } from "./dependencies.js";
import { checkCredentials, settings, type Settings } from "./settings.js";

export interface RunningServices {
  deps: ServiceDeps;
  bus: Bus;
  /** The gRPC port; absent when every service runs is probed over HTTP (the site alone). */
  grpcPort?: number;
  /** The HTTP address of a service that opens one (the site), with the port it got (SITE_PORT=0 picks a free one). */
  httpUrl?: string;
  /** The graceful shutdown sequence; safe to call more than once. */
  stop(reason?: string): Promise<void>;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Already-loaded config (the `edition` command); otherwise read from NEWSROOM_CONFIG. */
  config?: LoadedConfig;
  /** Embedded default: PGlite and the in-process bus even if DATABASE_URL / NATS_URL are set. */
  embedded?: boolean;
  log?: Logger;
  onProgress?: (line: { editionId: string; storyId?: string; stage: string; message: string }) => void;
}

export async function runServices(specs: ServiceSpec[], opts: RunOptions = {}): Promise<RunningServices> {
  const env = opts.env ?? process.env;
  const s: Settings = settings(env, { embedded: opts.embedded, services: specs.map((x) => x.name) });
  const log = opts.log ?? createLogger(specs.length === 1 ? specs[0].name : "newsroom", undefined, env);

  // 1. config
  const config = opts.config ?? loadConfigFile(s.configFile, env);
  // Warnings about models and voices mean nothing to services that run none (the site, the publisher).
  const runsModels = specs.some((x) => rolesOf(x.name).some((role) => NEWSROOM.roles[role].kind !== "code"));
  for (const w of config.warnings) if (runsModels || !concernsModels(w)) log.warn(w);
  for (const w of checkCredentials(s, env, specs.some((x) => x.grpc))) log.warn(`ALLOW_INSECURE: ${w}`);

  // 2. telemetry
  const telemetry = await startTelemetry(specs.length === 1 ? `newsroom-${specs[0].name}` : "newsroom", env);

  // 3. connect: database (migrated), bus, outbox relay
  const db = await openDatabase(s.databaseUrl ? { url: s.databaseUrl } : { dataDir: s.dataDir });
  if (s.databaseUrl && !s.migrateOnStart) await assertMigrated(db);
  else await migrate(db);
  const bus = s.natsUrl
    ? await connectJetStream({ url: s.natsUrl, user: s.natsUser, pass: s.natsPass, stream: s.natsStream, prefix: s.natsPrefix, name: specs.map((x) => x.name).join("+") })
    : createMemoryBus();
  // The cost ledger's crash journal lives next to the data: rows a killed process had not yet
  // written are written by the next start.
  openLedger(db, { journalDir: s.ledgerDir, log: log.child("ledger") });
  const relay = startOutboxRelay({ db, bus, log: log.child("outbox"), subjects: [...new Set(specs.flatMap((x) => emitsOf(x.name)))] });

  // While the database or NATS is away: NOT_SERVING (gRPC health, the site's /readyz), one log
  // line per outage; work retries on its own. Watched from here so services see it as they start.
  const dependencies: Dependency[] = [];
  if (s.databaseUrl) dependencies.push({ name: "database", where: redactUrl(s.databaseUrl), check: async () => void (await sql`select 1`.execute(db)) });
  if (s.natsUrl && bus.ping) dependencies.push({ name: "NATS", where: redactUrl(s.natsUrl), check: () => bus.ping!() });
  let grpc: Awaited<ReturnType<typeof startGrpcServer>> | undefined;
  const watch = watchDependencies({ dependencies, log, onReady: (ready) => grpc?.setServing(ready) });

  let router: (Router & { close(): Promise<void> }) | undefined;
  const deps: ServiceDeps = {
    config,
    db,
    log,
    router: () => (router ??= createRouter({ config, db, env, log: log.child("router") })),
    outDir: s.outDir,
    nudgeOutbox: () => relay.nudge(),
    env,
    away: () => watch.away(),
  };

  // 4. register handlers
  const registrations = specs.flatMap((spec) => spec.handlers(deps));
  const consumers = await startConsumers({
    bus,
    db,
    registrations,
    onCommitted: () => relay.nudge(),
    onProgress: opts.onProgress,
    log: log.child("consumer"),
  });
  // Idempotency keys are kept only as long as a copy of their event can come back.
  const pruning = registrations.length ? startProcessedPruning({ db, log: log.child("consumer") }) : undefined;
  const background: Background[] = [];
  for (const spec of specs) if (spec.background) background.push(await spec.background(deps));

  // 5. serve: gRPC health plus the services' own APIs (none when every service is probed over HTTP)
  grpc = specs.some((spec) => (spec.health ?? "grpc") === "grpc")
    ? await startGrpcServer({
        port: s.grpcPort,
        host: s.grpcHost,
        services: specs.flatMap((spec) => spec.grpc?.(deps) ?? []) as never,
        log: log.child("grpc"),
        env,
      })
    : undefined;
  // An outage seen while the server was starting: it starts NOT_SERVING.
  if (watch.away().length) grpc?.setServing(false);
  log.info(`serving ${specs.map((x) => x.name).join(", ")}`, {
    grpcPort: grpc?.port,
    bus: bus.kind,
    database: s.databaseUrl ? "postgres" : `pglite:${s.dataDir}`,
  });

  // 6. shut down: stop consuming, finish or release in-flight work, flush the outbox,
  // drain NATS, close gRPC, flush telemetry, close the database.
  let stopping: Promise<void> | undefined;
  const stop = (reason = "stop") =>
    (stopping ??= (async () => {
      log.info(`shutting down (${reason})`);
      watch.stop();
      grpc?.setServing(false);
      await consumers.stop(s.shutdownTimeoutMs * 0.6);
      await pruning?.stop();
      await Promise.all(background.map((b) => b.stop()));
      await relay.stop();
      await bus.close();
      await grpc?.shutdown(s.shutdownTimeoutMs * 0.2);
      await router?.close();
      await telemetry.shutdown();
      await closeLedger(db);
      await db.destroy();
      log.info("stopped");
    })());

  return { deps, bus, grpcPort: grpc?.port, httpUrl: background.find((b) => b.url)?.url, stop };
}
