// The names the deployment shares with the code, in one place. The manifests checks compare
// the built manifests against these; where the code exports a name, the checks compare these
// against the code too (see manifests.test.ts "cross-checks with the code").

import { SERVICES as SERVICE_SPECS } from "@newsroom/cli/services";

export const SERVICES = ["ingest", "editor", "factcheck", "voice", "publisher"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Every service serves grpc.health.v1 here (env GRPC_PORT, default 50051). */
export const GRPC_PORT = 50051;

/** How every service starts: the same image, `serve <service>`. */
export const COMMAND = ["node", "--import", "tsx", "cli/src/main.ts"];
export const CLI_ENTRY = "cli/src/main.ts";

/** gRPC APIs besides health, by service. */
export const GRPC_APIS: Partial<Record<ServiceName, string>> = {
  ingest: "newsroom.v1.NewsroomService",
  voice: "newsroom.v1.VoiceService",
};

export const STREAM = "NEWSROOM";
export const SUBJECT_PREFIX = "newsroom";
export const NATS_ACCOUNT = "NEWSROOM";
export const DEADLETTER_PREFIX = `${SUBJECT_PREFIX}.deadletter`;

/** Durable consumers and the subject (relative to the prefix) each one reads. */
export const CONSUMERS: Record<ServiceName, Record<string, string>> = {
  ingest: { "ingest-edition-requested": "edition.requested" },
  editor: {
    "editor-edition-ingested": "edition.ingested",
    "editor-lineup-decided": "lineup.decided",
    "editor-script-reviewed": "script.reviewed",
  },
  factcheck: { "factcheck-script-drafted": "script.drafted" },
  voice: { "voice-script-approved": "script.approved" },
  publisher: { "publisher-segment-voiced": "segment.voiced", "publisher-story-dropped": "story.dropped" },
};

/** Events each service emits through its outbox relay (relative to the prefix): the services' own `emits`. */
export const EMITS = Object.fromEntries(SERVICE_SPECS.map((s) => [s.name, [...s.emits]])) as Record<ServiceName, string[]>;

/** The consumer KEDA watches to scale voice. */
export const KEDA_VOICE_CONSUMER = "voice-script-approved";

/** Which service runs each model role (ARCHITECTURE §1); decides which provider keys a pod gets. */
export const ROLE_SERVICE: Record<string, ServiceName> = {
  editor_in_chief: "editor",
  deputy_editor: "editor",
  writer: "editor",
  translator: "editor",
  headline_editor: "editor",
  fact_checker: "factcheck",
  cross_reviewer: "factcheck",
  freshness_judge: "factcheck",
  arbiter: "factcheck",
};
/** Voices (TTS providers' keys) are used by this service only. */
export const VOICE_SERVICE: ServiceName = "voice";

export const CONFIG_PATH = "/etc/newsroom/newsroom.yaml";
export const OUTPUT_DIR = "/var/lib/newsroom/output";
export const NATS_URL = "nats://nats:4222";
export const OTLP_ENDPOINT = "http://otel-collector:4318";
export const PROVIDER_KEYS_SECRET = "newsroom-provider-keys";

/** Environment every service Deployment sets (besides provider keys), with the value when fixed. */
export function serviceEnv(svc: ServiceName): Record<string, string | { secret: string; key: string }> {
  return {
    NEWSROOM_CONFIG: CONFIG_PATH,
    DATABASE_URL: { secret: "newsroom-database", key: "DATABASE_URL" },
    NATS_URL,
    NATS_USER: svc,
    NATS_PASS: { secret: "newsroom-nats", key: `${svc.toUpperCase()}_NATS_PASS` },
    GRPC_PORT: String(GRPC_PORT),
    OTEL_SERVICE_NAME: `newsroom-${svc}`,
    OTEL_METRICS_EXPORTER: "none",
    OTEL_LOGS_EXPORTER: "none",
    ...(svc === "publisher" ? { OUTPUT_DIR } : {}),
    // The gRPC APIs require a bearer token outside the embedded default (ARCHITECTURE §9).
    ...(GRPC_APIS[svc] ? { GRPC_AUTH_TOKEN: { secret: "newsroom-grpc", key: "GRPC_AUTH_TOKEN" } } : {}),
  };
}

/** Read by the OpenTelemetry SDK, not by our code: exempt from the "the code reads it" check. */
export const SDK_ENV = /^OTEL_/;

/** Variables the code reads that a Deployment may leave unset, and why. */
export const OPTIONAL_ENV: Record<string, string> = {
  LOG_LEVEL: "defaults to info",
  GRPC_TLS_CERT: "gRPC TLS is optional in the cluster (bearer token always; TLS via a mesh or these)",
  GRPC_TLS_KEY: "as GRPC_TLS_CERT",
  GRPC_TLS_CA: "client side of gRPC TLS",
  GRPC_TLS: "client side of gRPC TLS",
  NEWSROOM_LEXICON: "extra pronunciation lexicon for voice, optional",
  NEWSROOM_TRACE_CONTENT: "puts prompt/response text on spans; off in production",
  TRACEPARENT: "CLI: join a caller's trace",
  TRACESTATE: "CLI: join a caller's trace",
  DATA_DIR: "PGlite's folder; unused when DATABASE_URL is set",
  NATS_STREAM: "defaults to NEWSROOM, the stream nats.conf and KEDA name",
  NATS_PREFIX: "defaults to newsroom, the subject prefix nats.conf grants",
  GRPC_HOST: "defaults to 0.0.0.0",
  MIGRATE_ON_START: "off when DATABASE_URL is set: the newsroom-migrate Job migrates",
  SHUTDOWN_TIMEOUT_MS: "defaults to 30 s, inside terminationGracePeriodSeconds",
  LEDGER_DIR: "the cost ledger's crash journal, default .newsroom/ledger; unwritable: warned, rows still written behind (a SIGKILL may lose the last 50 ms)",
  NEWSROOM_DEBUG: "prints the stack of a start-up failure; for people, not pods",
  ALLOW_INSECURE: "turns the refusal to run without gRPC/NATS credentials into warnings; never in the cluster",
};

/** The pod-level security every pod must have. */
export const SERVICE_UID = 10001;
