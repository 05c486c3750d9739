// The observability component as built into the prod overlay: services send traces to the
// Collector, the Collector to Tempo, Grafana reads Tempo; the "Agent disagreements" dashboard's
// TraceQL parses and names the spans, attributes and events the code really emits.
import { readFileSync } from "node:fs";
import { parser as traceql } from "@grafana/lezer-traceql";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { EVENTS } from "@newsroom/platform/router/telemetry";
import { telemetryPlan } from "@newsroom/platform/telemetry/sdk";
import { LISTEN_METRIC_NAMES } from "@newsroom/site/listens/metrics";
import { runtimeSources, stringLiterals } from "./code-text.js";
import { OTLP_ENDPOINT, SERVICES } from "./facts.js";
import { built, find, type K8sObject } from "./kustomize.js";
import { podContainers } from "./kustomize-fallback.js";

type Obj = Record<string, any>;
const prod = () => built("overlays/prod").objects;
const configFile = (objects: K8sObject[], configMap: string, key: string) => (find(objects, "ConfigMap", configMap).data as Obj)[key] as string;
const container = (objects: K8sObject[], kind: string, name: string) => (podContainers(find(objects, kind, name)) as Obj[])[0];
const servicePort = (objects: K8sObject[], name: string, port: number) =>
  ((find(objects, "Service", name).spec as Obj).ports as Obj[]).find((p) => p.port === port);
const portOf = (endpoint: string) => Number(/:(\d+)$/.exec(endpoint)?.[1]);

/** Offsets of syntax errors in a TraceQL query (empty when it parses). */
function traceqlErrors(query: string): number[] {
  const errors: number[] = [];
  traceql.parse(query).iterate({ enter: (n) => void (n.type.isError && errors.push(n.from)) });
  return errors;
}

function dashboard(): Obj {
  return JSON.parse(configFile(prod(), "grafana-dashboards", "agent-disagreements.json"));
}
const queries = () => (dashboard().panels as Obj[]).flatMap((p) => ((p.targets ?? []) as Obj[]).map((t) => t.query as string).filter(Boolean));

describe("traces from the services to Grafana", () => {
  it.each(SERVICES)("%s exports traces to the Collector in prod, and the code turns tracing on for it", (svc) => {
    const env = Object.fromEntries(((container(prod(), "Deployment", svc).env ?? []) as Obj[]).filter((e) => "value" in e).map((e) => [e.name, e.value]));
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(OTLP_ENDPOINT);
    const url = new URL(OTLP_ENDPOINT);
    expect(servicePort(prod(), url.hostname, Number(url.port))?.name).toBe("otlp-http");
    const plan = telemetryPlan(svc, env);
    expect(plan.enabled, plan.reason).toBe(true);
    expect(plan.serviceName).toBe(env.OTEL_SERVICE_NAME);
  });

  it.each(SERVICES)("%s traces nothing (and opens no socket) in dev, which has no Collector", (svc) => {
    const dev = built("overlays/dev").objects;
    const env = Object.fromEntries(((container(dev, "Deployment", svc).env ?? []) as Obj[]).filter((e) => "value" in e).map((e) => [e.name, e.value]));
    expect(telemetryPlan(svc, env).enabled).toBe(false);
    expect(dev.some((o) => o.metadata.name === "otel-collector")).toBe(false);
  });

  it("has the Collector take OTLP on the Service's ports and send it on to Tempo's OTLP port", () => {
    const cfg = parseYaml(configFile(prod(), "otel-collector-config", "config.yaml")) as Obj;
    const pipeline = cfg.service.pipelines.traces as Obj;
    for (const [kind, names] of [["receivers", pipeline.receivers], ["processors", pipeline.processors], ["exporters", pipeline.exporters]] as const)
      for (const n of names as string[]) expect(cfg[kind], `${kind}.${n}`).toHaveProperty([n]);
    for (const e of cfg.service.extensions ?? []) expect(cfg.extensions).toHaveProperty([e]);
    const c = container(prod(), "Deployment", "otel-collector");
    const ports = Object.fromEntries((c.ports as Obj[]).map((p) => [p.name, p.containerPort]));
    expect(portOf(cfg.receivers.otlp.protocols.http.endpoint)).toBe(ports["otlp-http"]);
    expect(portOf(cfg.receivers.otlp.protocols.grpc.endpoint)).toBe(ports["otlp-grpc"]);
    expect(c.args).toEqual([`--config=${(c.volumeMounts as Obj[]).find((m) => m.name === "config")!.mountPath}/config.yaml`]);
    const [host, port] = (cfg.exporters["otlp/tempo"].endpoint as string).split(":");
    const tempo = parseYaml(configFile(prod(), "tempo-config", "tempo.yaml")) as Obj;
    expect(servicePort(prod(), host, Number(port))).toBeDefined();
    expect(portOf(tempo.distributor.receivers.otlp.protocols.grpc.endpoint)).toBe(Number(port));
  });

  it("keeps Tempo's blocks on its volume, in vParquet4 (TraceQL on events needs it)", () => {
    const tempo = parseYaml(configFile(prod(), "tempo-config", "tempo.yaml")) as Obj;
    expect(tempo.storage.trace.block.version).toBe("vParquet4");
    const sts = find(prod(), "StatefulSet", "tempo");
    const c = (podContainers(sts) as Obj[])[0];
    const data = (c.volumeMounts as Obj[]).find((m) => m.name === "data")!;
    expect(((sts.spec as Obj).volumeClaimTemplates as Obj[]).map((t) => t.metadata.name)).toContain("data");
    for (const path of [tempo.storage.trace.wal.path, tempo.storage.trace.local.path]) expect(path.startsWith(data.mountPath + "/")).toBe(true);
    expect(servicePort(prod(), "tempo", tempo.server.http_listen_port)).toBeDefined();
    expect(c.args).toEqual([`-config.file=${(c.volumeMounts as Obj[]).find((m) => m.name === "config")!.mountPath}/tempo.yaml`]);
  });

  it("provisions Grafana's Tempo datasource at Tempo's query port, and the dashboard folder where it is mounted", () => {
    const ds = (parseYaml(configFile(prod(), "grafana-datasources", "tempo.yaml")) as Obj).datasources[0];
    expect(ds.type).toBe("tempo");
    const url = new URL(ds.url);
    expect(servicePort(prod(), url.hostname, Number(url.port))?.name).toBe("http");
    const provider = (parseYaml(configFile(prod(), "grafana-dashboard-providers", "newsroom.yaml")) as Obj).providers[0];
    const c = container(prod(), "Deployment", "grafana");
    const mounts = Object.fromEntries((c.volumeMounts as Obj[]).map((m) => [m.mountPath, m.name]));
    expect(mounts[provider.options.path]).toBe("dashboards");
    expect(mounts["/etc/grafana/provisioning/datasources"]).toBe("datasources");
    expect(mounts["/etc/grafana/provisioning/dashboards"]).toBe("dashboard-providers");
    const home = (c.env as Obj[]).find((e) => e.name === "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")?.value;
    expect(home).toBe(`${provider.options.path}/agent-disagreements.json`);
    for (const p of dashboard().panels as Obj[]) if (p.datasource) expect(p.datasource.uid, p.title).toBe(ds.uid);
  });
});

describe('the "Agent disagreements" dashboard', () => {
  it("is titled as the design names it and has TraceQL panels", () => {
    expect(dashboard().title).toBe("Agent disagreements");
    expect(queries().length).toBeGreaterThanOrEqual(5);
    for (const p of dashboard().panels as Obj[]) for (const t of p.targets ?? []) expect(t.queryType).toBe("traceql");
  });

  it("has only TraceQL that parses", () => {
    expect(traceqlErrors("{ span.newsroom.review.disagreement = true ")).not.toEqual([]); // the check itself can fail
    expect(queries().filter((q) => traceqlErrors(q).length)).toEqual([]);
  });

  it("finds disagreements with one query, and fallbacks, truncations and breaker trips by the code's event names", () => {
    const all = queries();
    expect(all.filter((q) => /^\{ span\.newsroom\.review\.disagreement = true \}/.test(q)).length).toBeGreaterThan(0);
    for (const event of [EVENTS.fallback, EVENTS.truncation, EVENTS.breakerOpen])
      expect(all.some((q) => q.includes(`event:name = "${event}"`)), event).toBe(true);
    expect(all.some((q) => q.includes("by(span.gen_ai.provider.name)"))).toBe(true);
  });

  it("names only span attributes and span names the code sets", () => {
    const sources = runtimeSources();
    const literals = stringLiterals(sources);
    const attributes = [...new Set(queries().flatMap((q) => [...q.matchAll(/\bspan\.([a-z0-9_.]+)/g)].map((m) => m[1])))];
    expect(attributes.filter((a) => !literals.has(a))).toEqual([]);
    const spanNames = [...new Set(queries().flatMap((q) => [...q.matchAll(/\bname =~ "([a-z_]+) \.\*"/g)].map((m) => m[1])))];
    const code = sources.map((f) => f.text).join("\n");
    expect(spanNames.filter((n) => !code.includes("`" + n + " ${"))).toEqual([]);
  });
});

describe('the listening metrics and the "Listening" dashboard', () => {
  const listening = (): Obj => JSON.parse(configFile(prod(), "grafana-dashboards", "listening.json"));
  /** The Prometheus name the Collector gives an OTLP counter: dots to underscores, `_total` appended. */
  const promName = (otel: string) => `${otel.replaceAll(".", "_")}_total`;

  it("has the site export its counters over OTLP to the Collector, which Prometheus scrapes", () => {
    const env = Object.fromEntries(((container(prod(), "Deployment", "site").env ?? []) as Obj[]).filter((e) => "value" in e).map((e) => [e.name, e.value]));
    expect(env.OTEL_METRICS_EXPORTER).toBe("otlp");
    expect(telemetryPlan("site", env).enabled).toBe(true);
    const cfg = parseYaml(configFile(prod(), "otel-collector-config", "config.yaml")) as Obj;
    expect(cfg.service.pipelines.metrics).toMatchObject({ receivers: ["otlp"], exporters: ["prometheus"] });
    const metricsPort = portOf(cfg.exporters.prometheus.endpoint);
    const collector = container(prod(), "Deployment", "otel-collector");
    expect((collector.ports as Obj[]).find((p) => p.name === "metrics")?.containerPort).toBe(metricsPort);
    const prom = parseYaml(configFile(prod(), "prometheus-config", "prometheus.yml")) as Obj;
    const [host, port] = (prom.scrape_configs[0].static_configs[0].targets[0] as string).split(":");
    expect(servicePort(prod(), host, Number(port))?.name).toBe("metrics");
    const c = container(prod(), "StatefulSet", "prometheus");
    const configDir = (c.volumeMounts as Obj[]).find((m) => m.name === "config")!.mountPath;
    expect(c.args).toContain(`--config.file=${configDir}/prometheus.yml`);
  });

  it("reads Prometheus through a provisioned datasource", () => {
    const ds = (parseYaml(configFile(prod(), "grafana-datasources", "prometheus.yaml")) as Obj).datasources[0];
    expect(ds.type).toBe("prometheus");
    const url = new URL(ds.url);
    expect(servicePort(prod(), url.hostname, Number(url.port))?.name).toBe("http");
    for (const p of listening().panels as Obj[]) if (p.datasource) expect(p.datasource.uid, p.title).toBe(ds.uid);
  });

  it("shows the completion rate and the drop-off per story from the counters the site defines", () => {
    const d = listening();
    const exprs = (d.panels as Obj[]).flatMap((p) => ((p.targets ?? []) as Obj[]).map((t) => t.expr as string));
    const names = new Set(exprs.flatMap((e) => [...e.matchAll(/\bnewsroom_[a-z_]+_total\b/g)].map((m) => m[0])));
    expect([...names].sort()).toEqual(Object.values(LISTEN_METRIC_NAMES).map(promName).sort());
    const titles = (d.panels as Obj[]).map((p) => p.title);
    expect(titles).toEqual(expect.arrayContaining(["Completion rate", "Drop-off per story"]));
    const rate = (d.panels as Obj[]).find((p) => p.title === "Completion rate")!.targets[0].expr as string;
    expect(rate.indexOf(promName(LISTEN_METRIC_NAMES.completed))).toBeLessThan(rate.indexOf(promName(LISTEN_METRIC_NAMES.started)));
    // The labels the panels group by are the attributes the site's counters carry.
    const metricsSource = readFileSync(new URL("../../services/site/src/listens/metrics.ts", import.meta.url), "utf8");
    const labels = new Set(exprs.flatMap((e) => [...e.matchAll(/\bnewsroom_(?:edition|story)_[a-z]+\b/g)].map((m) => m[0])));
    for (const label of labels) expect(metricsSource, label).toContain(`"${label.replace(/^newsroom_(edition|story)_/, "newsroom.$1.")}"`);
  });
});
