// Process settings from the environment (deployment concerns; the newsroom itself is configured
// by the YAML file). Validated with zod so a typo fails at start with the variable's name.
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { z } from "zod";
import { PIPELINE_SERVICES } from "../newsroom.js";

const envSchema = z.object({
  NEWSROOM_CONFIG: z.string().default("newsroom.yaml"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "a postgres:// URL").optional(),
  DATA_DIR: z.string().default(".newsroom/data"),
  NATS_URL: z.string().regex(/^(nats|tls|wss?):\/\//, "a nats:// URL").optional(),
  NATS_USER: z.string().optional(),
  NATS_PASS: z.string().optional(),
  /** Stream and subject prefix: several newsrooms (or test runs) can share one NATS server. */
  NATS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/, "a stream name (letters, digits, _ and -)").default("NEWSROOM"),
  NATS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/, "a subject token (a-z, 0-9, _ and -)").default("newsroom"),
  OUTPUT_DIR: z.string().default("editions"),
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50051),
  GRPC_HOST: z.string().default("0.0.0.0"),
  MIGRATE_ON_START: z.enum(["true", "false"]).optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Folder of the cost ledger's crash journal (a subfolder per database is made in it). */
  LEDGER_DIR: z.string().default(".newsroom/ledger"),
});

export interface Settings {
  configFile: string;
  databaseUrl?: string;
  dataDir: string;
  natsUrl?: string;
  natsUser?: string;
  natsPass?: string;
  natsStream: string;
  natsPrefix: string;
  outDir: string;
  grpcPort: number;
  grpcHost: string;
  migrateOnStart: boolean;
  shutdownTimeoutMs: number;
  /** The ledger's crash journal for this database; none for an in-memory PGlite (nothing outlives it). */
  ledgerDir?: string;
}

export class SettingsError extends Error {
  override name = "SettingsError";
}

/** A value for an error message: secrets hidden, passwords in URLs masked. */
function shown(name: string, value: string | undefined): string {
  if (value === undefined) return "nothing";
  if (/PASS|TOKEN|SECRET|KEY/.test(name)) return "(hidden)";
  return JSON.stringify(value.replace(/\/\/([^:@/]+):([^@/]+)@/, "//$1:***@"));
}

export function settings(env: NodeJS.ProcessEnv, opts: { embedded?: boolean; services?: string[] } = {}): Settings {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (!parsed.success)
    throw new SettingsError(
      `invalid environment:\n${parsed.error.issues
        .map((i) => {
          const name = String(i.path[0]);
          const what = i.message.replace(/^Invalid input: /, "").replace(/, received \w+$/, "");
          return `  - ${name}: ${what.startsWith("expected") ? what : `expected ${what}`}; found ${shown(name, env[name])}`;
        })
        .join("\n")}`,
    );
  const e = parsed.data;
  const embedded = opts.embedded ?? false;
  const s: Settings = {
    configFile: e.NEWSROOM_CONFIG,
    databaseUrl: embedded ? undefined : e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    natsUrl: embedded ? undefined : e.NATS_URL,
    natsUser: e.NATS_USER,
    natsPass: e.NATS_PASS,
    natsStream: e.NATS_STREAM,
    natsPrefix: e.NATS_PREFIX,
    outDir: e.OUTPUT_DIR,
    grpcPort: e.GRPC_PORT,
    grpcHost: e.GRPC_HOST,
    // PGlite is this process's own database: always bring it up to date.
    migrateOnStart: e.MIGRATE_ON_START ? e.MIGRATE_ON_START === "true" : !e.DATABASE_URL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
  const database = s.databaseUrl ?? (s.dataDir.startsWith("memory://") ? undefined : resolve(s.dataDir));
  // One journal folder per database, so a journal is never replayed into another database.
  if (database) s.ledgerDir = join(e.LEDGER_DIR, createHash("sha256").update(database).digest("hex").slice(0, 12));
  const services = opts.services ?? PIPELINE_SERVICES;
  // The listener site alone needs no other service: on the embedded default it serves the
  // editions folder on its own.
  const pipeline = services.filter((x) => (PIPELINE_SERVICES as readonly string[]).includes(x));
  if (!s.natsUrl && pipeline.length && PIPELINE_SERVICES.some((x) => !services.includes(x)))
    throw new SettingsError(
      `serving ${services.join(", ")} without NATS_URL: the in-process bus only connects roles inside one process. ` +
        "Set NATS_URL (and DATABASE_URL) to run services as separate processes, or serve all.",
    );
  if (s.natsUrl && !s.databaseUrl)
    throw new SettingsError("NATS_URL is set but DATABASE_URL is not: separate service processes need a shared Postgres (PGlite is one process's own database).");
  return s;
}

/**
 * Outside the embedded default the gRPC APIs and the bus require credentials (ARCHITECTURE §9).
 * Missing ones are refused at start, unless ALLOW_INSECURE=true turns the refusal into warnings.
 * Loopback addresses are exempt: nothing off this machine can reach them.
 */
export function credentialProblems(s: Settings, env: NodeJS.ProcessEnv, servesApi: boolean): string[] {
  const problems: string[] = [];
  if (servesApi && !isLoopback(s.grpcHost) && !env.GRPC_AUTH_TOKEN)
    problems.push(`gRPC APIs on ${s.grpcHost}:${s.grpcPort} would accept calls without credentials: set GRPC_AUTH_TOKEN (and GRPC_TLS_CERT/GRPC_TLS_KEY)`);
  if (s.natsUrl && !s.natsUser && !isLoopback(natsHost(s.natsUrl)))
    problems.push(`NATS at ${natsHost(s.natsUrl)} without a user: set NATS_USER/NATS_PASS so each service gets only its own subjects (deploy/k8s/base/nats)`);
  return problems;
}

export function checkCredentials(s: Settings, env: NodeJS.ProcessEnv, servesApi: boolean): string[] {
  const problems = credentialProblems(s, env, servesApi);
  if (problems.length && env.ALLOW_INSECURE !== "true")
    throw new SettingsError(`${problems.join("\n")}\n(set ALLOW_INSECURE=true to run without credentials anyway)`);
  return problems;
}

/** A host nothing off this machine can reach (127.x, localhost, ::1). */
export function isLoopback(host: string): boolean {
  return /^(127\.|localhost$|::1$|\[::1\]$)/.test(host);
}

function natsHost(url: string): string {
  try {
    return new URL(url.split(",")[0]).hostname;
  } catch {
    return url;
  }
}
