// Starts OpenTelemetry tracing from the standard OTEL_* variables, or installs nothing at all.
// With no exporter configured there is no tracer provider, no propagator, no exporter and no
// socket: the @opentelemetry/api calls elsewhere in the code stay no-ops.
import { NodeSDK } from "@opentelemetry/sdk-node";

export interface Telemetry {
  /** Flushes queued spans (batch processor) and stops the SDK; bounded by `timeoutMs`. */
  shutdown(timeoutMs?: number): Promise<void>;
}

export interface TelemetryPlan {
  enabled: boolean;
  /** Why tracing is on or off, for the start-up log line. */
  reason: string;
  /** The resource's service.name; undefined when OTEL_RESOURCE_ATTRIBUTES already names it. */
  serviceName?: string;
}

type Env = NodeJS.ProcessEnv;

/** Decides from the environment alone whether tracing starts; no side effects. */
export function telemetryPlan(serviceName: string, env: Env = process.env): TelemetryPlan {
  const name = env.OTEL_SERVICE_NAME?.trim() || (/(^|,)\s*service\.name=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? "") ? undefined : serviceName);
  if (/^true$/i.test(env.OTEL_SDK_DISABLED?.trim() ?? "")) return { enabled: false, reason: "OTEL_SDK_DISABLED=true" };
  const listed = (env.OTEL_TRACES_EXPORTER ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s && s !== "null");
  if (listed.length === 1 && listed[0] === "none") return { enabled: false, reason: "OTEL_TRACES_EXPORTER=none" };
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  // The OTLP default (localhost:4318) is only used when someone asked for otlp by name.
  if (!listed.length && !endpoint)
    return { enabled: false, reason: "no OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER set" };
  const exporters = listed.length ? listed.join(",") : "otlp";
  return { enabled: true, reason: `traces to ${exporters}${endpoint ? ` at ${endpoint}` : ""}`, serviceName: name };
}

/**
 * Starts tracing when the environment asks for it. The SDK reads process.env, so OTEL_* values of
 * a custom `env` are copied onto it first; metrics and logs exporters default to "none" (NodeSDK
 * would otherwise start OTLP exporters for both). OTEL_METRICS_EXPORTER=otlp turns metrics on (the
 * site's listening counters; deploy sets it for the site only).
 */
export async function startTelemetry(serviceName: string, env: Env = process.env): Promise<Telemetry & { plan: TelemetryPlan }> {
  const plan = telemetryPlan(serviceName, env);
  if (!plan.enabled) return { plan, shutdown: async () => {} };

  if (env !== process.env)
    for (const [key, value] of Object.entries(env)) if (key.startsWith("OTEL_") && value !== undefined) process.env[key] = value;
  process.env.OTEL_METRICS_EXPORTER ??= "none";
  process.env.OTEL_LOGS_EXPORTER ??= "none";

  // Span processors (batch for otlp), exporter protocol (http/json or http/protobuf) and the
  // propagators (default tracecontext,baggage) all come from the standard variables.
  const sdk = new NodeSDK({ serviceName: plan.serviceName, instrumentations: [] });
  sdk.start();

  let stopping: Promise<void> | undefined;
  return {
    plan,
    shutdown(timeoutMs = 5_000) {
      stopping ??= new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        sdk
          .shutdown()
          .catch(() => {})
          .finally(() => (clearTimeout(timer), resolve()));
      });
      return stopping;
    },
  };
}
