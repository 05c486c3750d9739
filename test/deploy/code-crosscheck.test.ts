// The deployment against the code it runs: the environment both sides name, the consumers and
// events each service registers, the entry file, and the image (Dockerfile, .dockerignore) that
// must hold exactly the production dependencies the runtime code imports.
import { builtinModules } from "node:module";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@newsroom/platform/config/load";
import { EVENTS as EVENT_REGISTRY } from "@newsroom/platform/events";
import { emittedEvents, envNamesRead, importedPackages, REPO, runtimeSources } from "./code-text.js";
import { checkCredentials, settings } from "@newsroom/platform/service/settings";
import {
  CLI_ENTRY,
  COMMAND,
  CONFIG_PATH,
  CONSUMERS,
  EMITS,
  GRPC_APIS,
  GRPC_PORT,
  NATS_URL,
  OPTIONAL_ENV,
  OUTPUT_DIR,
  SDK_ENV,
  SERVICE_UID,
  SERVICES,
  DEPLOYMENTS,
  SITE,
  STREAM,
  SUBJECT_PREFIX,
  type ServiceName,
} from "./facts.js";
import { built, find } from "./kustomize.js";
import { siteSettings } from "@newsroom/site/settings";
import { site } from "@newsroom/site/service";
import { podContainers, podSpec } from "./kustomize-fallback.js";

type Obj = Record<string, any>;
const prod = () => built("overlays/prod").objects;
const envSetBy = (svc: string) => ((podContainers(find(prod(), "Deployment", svc)) as Obj[])[0].env ?? []) as Obj[];
const providerKeys = () => {
  const cfg = parseConfig((find(prod(), "ConfigMap", "newsroom-config").data as Obj)["newsroom.yaml"], CONFIG_PATH, {});
  const names = [...Object.values(cfg.providers), ...Object.values(cfg.tts_providers)].flatMap((p) => [p.api_key_env, "group_id_env" in p ? p.group_id_env : undefined]);
  return new Set(names.filter((n): n is string => !!n));
};

describe("environment: the Deployments and the code name the same variables", () => {
  it("sets, or knowingly leaves to its default, every variable the code reads", () => {
    const set = new Set(DEPLOYMENTS.flatMap((s) => envSetBy(s).map((e) => e.name as string)));
    const unset = [...envNamesRead()]
      .filter(([name]) => !set.has(name) && !SDK_ENV.test(name) && !(name in OPTIONAL_ENV))
      .map(([name, files]) => `${name} (read in ${files.join(", ")})`);
    expect(unset).toEqual([]);
  });

  it("sets no variable the code never reads (a misspelt name would be ignored in silence)", () => {
    const read = envNamesRead();
    const keys = providerKeys();
    const stray = DEPLOYMENTS.flatMap((svc) =>
      envSetBy(svc)
        .map((e) => e.name as string)
        .filter((name) => !read.has(name) && !SDK_ENV.test(name) && !keys.has(name))
        .map((name) => `${svc}: ${name}`),
    );
    expect(stray).toEqual([]);
  });
});

describe("process settings: the code's own reading of each Deployment's environment", () => {
  /** The Deployment's literal values, and stand-ins for the values that come from Secrets. */
  const envOf = (svc: ServiceName): NodeJS.ProcessEnv =>
    Object.fromEntries(
      envSetBy(svc).map((e) => [e.name, e.valueFrom ? (e.name === "DATABASE_URL" ? "postgres://newsroom:pw@postgres:5432/newsroom" : "secret") : e.value]),
    );

  it.each(SERVICES)("%s: settings accept it and agree on config path, bus, port and stream", (svc) => {
    const s = settings(envOf(svc), { services: [svc] });
    expect(s.configFile).toBe(CONFIG_PATH);
    expect(s.natsUrl).toBe(NATS_URL);
    expect(s.natsUser).toBe(svc);
    expect(s.grpcPort).toBe(GRPC_PORT);
    expect(s.natsStream).toBe(STREAM);
    expect(s.natsPrefix).toBe(SUBJECT_PREFIX);
    if (svc === "publisher") expect(s.outDir).toBe(OUTPUT_DIR);
  });

  it.each(SERVICES)("%s: has the credentials the code requires outside the embedded default", (svc) => {
    const env = envOf(svc);
    expect(env.ALLOW_INSECURE).toBeUndefined();
    expect(checkCredentials(settings(env, { services: [svc] }), env, svc in GRPC_APIS)).toEqual([]);
  });

  it.each(SERVICES)("%s: leaves migrations to the newsroom-migrate Job", (svc) => {
    expect(settings(envOf(svc), { services: [svc] }).migrateOnStart).toBe(false);
    find(prod(), "Job", "newsroom-migrate");
  });

  it.each(SERVICES)("%s: finishes its graceful shutdown before Kubernetes kills it", (svc) => {
    const grace = (podSpec(find(prod(), "Deployment", svc)) as Obj).terminationGracePeriodSeconds as number;
    // The shutdown bound, plus a few seconds for draining NATS, flushing spans and closing the database.
    expect(settings(envOf(svc), { services: [svc] }).shutdownTimeoutMs + 10_000).toBeLessThanOrEqual(grace * 1000);
  });
});

describe("consumers and events: the names the NATS permissions and KEDA rely on", () => {
  it.each(SERVICES)("%s registers its durable consumers through the map's consume(), which names them", (svc) => {
    // test/map/newsroom-map.test.ts compares the registrations themselves with the map.
    const text = runtimeSources([`services/${svc}/src`]).map((f) => f.text).join("\n");
    const missing = Object.values(CONSUMERS[svc]).filter((event) => !text.includes(`consume("${svc}", "${event}"`));
    expect(missing).toEqual([]);
  });

  it("names the same events as the code's event registry", () => {
    const named = new Set([...Object.values(EMITS).flat(), ...Object.values(CONSUMERS).flatMap((c) => Object.values(c))]);
    expect([...named].sort()).toEqual(Object.keys(EVENT_REGISTRY).sort());
  });

  it("grants every event the code emits to some service, and each granted event is emitted somewhere", () => {
    const emitted = emittedEvents(runtimeSources());
    const granted = new Set(Object.values(EMITS).flat());
    expect([...emitted].filter((e) => !granted.has(e)), "emitted, but no NATS user may publish it").toEqual([]);
    expect([...granted].filter((e) => !emitted.has(e)), "granted, but the code never emits it").toEqual([]);
  });

  it.each(SERVICES)("%s's own code emits only events it may publish", (svc) => {
    const foreign = [...emittedEvents(runtimeSources([`services/${svc}/src`]))].filter((e) => !EMITS[svc].includes(e));
    expect(foreign).toEqual([]);
  });
});

/** The ENV the runtime stage sets (one `ENV A=1 \\ B=2` instruction or several). */
function imageEnv(runtime: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of runtime.matchAll(/^ENV\s+((?:[^\n]*\\\n)*[^\n]*)$/gm))
    for (const pair of m[1].replace(/\\\n/g, " ").trim().split(/\s+/)) {
      const at = pair.indexOf("=");
      if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  return env;
}

describe("the image", () => {
  const dockerfile = () => readFileSync(REPO + "Dockerfile", "utf8");
  const pkg = () => JSON.parse(readFileSync(REPO + "package.json", "utf8")) as Obj;

  it("starts the entry file the Deployments name", () => {
    expect(existsSync(REPO + CLI_ENTRY), `${CLI_ENTRY} is missing`).toBe(true);
    const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile());
    expect(JSON.parse(entrypoint![1])).toEqual(COMMAND);
  });

  it("exposes the gRPC port and the site's HTTP port, and sets them as the code reads them", () => {
    const runtime = dockerfile().slice(dockerfile().indexOf("AS runtime"));
    const env = imageEnv(runtime);
    const exposed = [...runtime.matchAll(/^EXPOSE\s+(.+)$/gm)].flatMap((m) => m[1].trim().split(/\s+/).map(Number));
    expect(exposed.sort()).toEqual([settings(env, { services: [SITE] }).grpcPort, siteSettings(env).SITE_PORT].sort());
    expect(siteSettings(env).SITE_PORT).toBe(siteSettings({}).SITE_PORT);
    expect(String(GRPC_PORT)).toBe(env.GRPC_PORT);
  });

  it("runs `serve site` on the embedded default: its data, ledger and output folders are made and owned by the service user", () => {
    const runtime = dockerfile().slice(dockerfile().indexOf("AS runtime"));
    const env = imageEnv(runtime);
    const s = settings(env, { services: [SITE] });
    expect(s.databaseUrl).toBeUndefined();
    const folders = [s.dataDir, env.LEDGER_DIR, s.outDir];
    for (const dir of folders) {
      expect(dir, "an absolute folder outside /app (root owns the code)").toMatch(/^\/var\/lib\/newsroom\//);
      expect(runtime).toMatch(new RegExp(`mkdir -p [^\n]*${dir}(\\s|$)`, "m"));
      expect(runtime).toMatch(new RegExp(`chown ${SERVICE_UID}:${SERVICE_UID} [^\n]*${dir}(\\s|$)`, "m"));
    }
    expect(s.ledgerDir?.startsWith(`${env.LEDGER_DIR}/`)).toBe(true);
  });

  it("is the only way a service starts: no service folder keeps an entry file the image never runs", () => {
    const entries = SERVICES.flatMap((svc) => ["main.ts", "index.ts"].map((f) => `services/${svc}/src/${f}`)).filter((f) => existsSync(REPO + f));
    expect(entries, `start services with \`${CLI_ENTRY} serve <name>\``).toEqual([]);
  });

  it("runs node 20 on Debian slim as the unprivileged user the pods expect", () => {
    const text = dockerfile();
    expect(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m.test(text)).toBe(true);
    const stages = [...text.matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)/gm)].map((m) => [m[1], m[2]]);
    expect(stages).toEqual([
      ["${NODE_IMAGE}", "deps"],
      ["${NODE_IMAGE}", "runtime"],
    ]);
    const runtime = text.slice(text.indexOf("AS runtime"));
    expect(/^USER\s+(\d+)/m.exec(runtime)?.[1]).toBe(String(SERVICE_UID));
    expect(runtime).toContain(`useradd --uid ${SERVICE_UID}`);
    expect(runtime).toMatch(/rm -rf [^\n]*\/usr\/local\/lib\/node_modules\/npm/);
  });

  it("installs from the lockfile without dev dependencies, with every workspace's manifest", () => {
    const text = dockerfile();
    expect(text).toMatch(/^RUN npm ci --omit=dev --ignore-scripts\b/m);
    const workspaces = (pkg().workspaces as string[]).flatMap((w) =>
      w.endsWith("/*") ? readdirSync(REPO + w.slice(0, -2)).map((d) => `${w.slice(0, -2)}/${d}`) : [w],
    );
    for (const w of workspaces) expect(text, w).toContain(`COPY ${w}/package.json ${w}/`);
    for (const dir of new Set(workspaces.map((w) => w.split("/")[0]))) expect(text, dir).toMatch(new RegExp(`^COPY ${dir} \\./${dir}$`, "m"));
  });

  it("needs only production dependencies at run time", () => {
    const deps = new Set(Object.keys(pkg().dependencies ?? {}));
    expect(deps.has("tsx"), "tsx runs the TypeScript and must survive --omit=dev").toBe(true);
    const builtins = new Set(builtinModules);
    const missing = new Set<string>();
    for (const f of runtimeSources())
      for (const spec of importedPackages(f)) {
        if (spec.startsWith("node:") || builtins.has(spec.split("/")[0]) || spec.startsWith("@newsroom/")) continue;
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
        if (!deps.has(name)) missing.add(`${name} (imported by ${f.path})`);
      }
    expect([...missing]).toEqual([]);
  });

  it("sends the sources and manifests as build context, never node_modules", () => {
    const lines = readFileSync(REPO + ".dockerignore", "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    expect(lines[0]).toBe("*");
    for (const need of ["package.json", "package-lock.json", "proto/", "platform/", "services/", "cli/"]) expect(lines).toContain(`!${need}`);
    expect(lines).toContain("**/node_modules");
  });
});

describe("the listener site", () => {
  it("listens where its Service and probes point, reads the publisher's volume read-only, and scales with an HPA", () => {
    const deployment = find(prod(), "Deployment", SITE);
    const c = (podContainers(deployment) as Obj[])[0];
    const env = Object.fromEntries((c.env as Obj[]).filter((e) => "value" in e).map((e) => [e.name, e.value]));
    const port = siteSettings(env).SITE_PORT;
    expect((c.ports as Obj[]).find((p) => p.name === "http")?.containerPort).toBe(port);
    expect(c.args).toEqual(["serve", SITE]);
    expect(settings({ ...env, DATABASE_URL: "postgres://db/newsroom" }, { services: [SITE] }).outDir).toBe(OUTPUT_DIR);
    const service = find(prod(), "Service", SITE) as Obj;
    expect((service.spec.ports as Obj[]).find((p) => p.name === "http")?.targetPort).toBe("http");
    // `serve site` opens no gRPC server (platform/src/service/run.ts): probed on its HTTP port, with no gRPC port anywhere:
    // /healthz (the process answers) for every probe: a shared database's outage must not take every replica (and the files) out of the Service.
    expect(site.health).toBe("http");
    for (const p of ["startupProbe", "livenessProbe"]) expect(c[p], p).toMatchObject({ httpGet: { path: "/healthz", port: "http" } });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: "/healthz", port: "http" } });
    for (const p of ["startupProbe", "readinessProbe", "livenessProbe"]) expect(c[p].grpc, p).toBeUndefined();
    expect((c.ports as Obj[]).map((p) => p.name)).toEqual(["http"]);
    expect((service.spec.ports as Obj[]).map((p) => p.name)).toEqual(["http"]);
    expect((c.env as Obj[]).map((e) => e.name)).not.toContain("GRPC_PORT");
    const claim = (podSpec(deployment) as Obj).volumes.find((v: Obj) => v.name === "output").persistentVolumeClaim;
    expect(claim).toEqual({ claimName: "publisher-output", readOnly: true });
    expect((c.volumeMounts as Obj[]).find((m) => m.name === "output")).toMatchObject({ mountPath: OUTPUT_DIR, readOnly: true });
    expect((find(prod(), "PersistentVolumeClaim", "publisher-output") as Obj).spec.accessModes).toEqual(["ReadWriteMany"]);
    const hpa = find(prod(), "HorizontalPodAutoscaler", SITE) as Obj;
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: SITE });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
  });
});
