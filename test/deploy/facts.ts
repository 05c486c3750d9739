// The names the deployment shares with the code, in one place. The manifests checks compare
// the built manifests against these; what the code declares (services, events, consumers, roles,
// gRPC APIs) is derived from the newsroom's map, platform/src/newsroom.ts, never written again here.

import { consumerName, consumersOf, emitsOf, NEWSROOM, PIPELINE_SERVICES, SERVICE_NAMES } from "@newsroom/platform/newsroom";

/** The services that make editions: each has its NATS user, consumers and gRPC health port. */
export type ServiceName = (typeof PIPELINE_SERVICES)[number];
export const SERVICES = PIPELINE_SERVICES;
/** The listener site: a Deployment of its own (HTTP on SITE_PORT, scaled by an HPA); it emits listen.recorded and report.filed, and consumes listen.recorded. */
export const SITE = "site";
/** Every service with a NATS user of its own: the pipeline and the site. */
export const BUS_USERS = SERVICE_NAMES;
export type BusUser = (typeof SERVICE_NAMES)[number];
/** Every newsroom Deployment built from the image. */
export const DEPLOYMENTS = SERVICE_NAMES;

/** Every pipeline service serves grpc.health.v1 here (env GRPC_PORT, default 50051); the site is probed over HTTP. */
export const GRPC_PORT = 50051;

/** How every service starts: the same image, `serve <service>`. */
export const COMMAND = ["node", "--import", "tsx", "cli/src/main.ts"];
export const CLI_ENTRY = "cli/src/main.ts";

/** gRPC APIs besides health, by service (only the services that serve one). */
export const GRPC_APIS: Partial<Record<ServiceName, readonly string[]>> = Object.fromEntries(
  SERVICES.filter((s) => NEWSROOM.services[s].grpc.length).map((s) => [s, NEWSROOM.services[s].grpc]),
);

export const STREAM = "NEWSROOM";
export const SUBJECT_PREFIX = "newsroom";
export const NATS_ACCOUNT = "NEWSROOM";
export const DEADLETTER_PREFIX = `${SUBJECT_PREFIX}.deadletter`;

/** Durable consumers and the subject (relative to the prefix) each one reads. */
export const CONSUMERS = Object.fromEntries(BUS_USERS.map((s) => [s, consumersOf(s)])) as Record<BusUser, Record<string, string>>;

/** Events each service emits through its outbox relay (relative to the prefix). */
export const EMITS = Object.fromEntries(BUS_USERS.map((s) => [s, emitsOf(s)])) as Record<BusUser, string[]>;

/** The consumer KEDA watches to scale voice. */
export const KEDA_VOICE_CONSUMER = consumerName("voice", "script.approved");

/** Which service runs each role (ARCHITECTURE §1); decides which provider keys a pod gets. */
export const ROLE_SERVICE = Object.fromEntries(Object.entries(NEWSROOM.roles).map(([role, r]) => [role, r.service])) as Record<string, ServiceName>;
/** Voices (TTS providers' keys) are used by this service only. */
export const VOICE_SERVICE: ServiceName = NEWSROOM.roles.anchor_a.service;

export const CONFIG_PATH = "/etc/newsroom/newsroom.yaml";
export const OUTPUT_DIR = "/var/lib/newsroom/output";
/** The cost ledger's crash journal, on a volume that outlives the container (an emptyDir). */
export const LEDGER_DIR = "/var/lib/newsroom/ledger";
export const NATS_URL = "nats://nats:4222";
export const OTLP_ENDPOINT = "http://otel-collector:4318";
export const PROVIDER_KEYS_SECRET = "newsroom-provider-keys";

/** Environment every service Deployment sets (besides provider keys), with the value when fixed. */
export function serviceEnv(svc: ServiceName): Record<string, string | { secret: string; key: string }> {
  return {
    NEWSROOM_CONFIG: CONFIG_PATH,
    DATABASE_URL: { secret: "newsroom-database", key: "DATABASE_URL" },
    NATS_URL,
    LEDGER_DIR,
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
  SITE_HOST: "the site listens on 0.0.0.0 by default",
  SITE_API_PER_MINUTE: "requests a minute from one address to each /api/ route, 120 by default",
  SITE_TRUST_PROXY: "X-Forwarded-For is believed from loopback and private networks (the cluster's ingress) by default",
  MIGRATE_ON_START: "off when DATABASE_URL is set: the newsroom-migrate Job migrates",
  SHUTDOWN_TIMEOUT_MS: "defaults to 30 s, inside terminationGracePeriodSeconds",
  NEWSROOM_DEBUG: "prints the stack of a start-up failure; for people, not pods",
  ALLOW_INSECURE: "turns the refusal to run without gRPC/NATS credentials into warnings; never in the cluster",
};

/** The pod-level security every pod must have. */
export const SERVICE_UID = 10001;
