// Offline checks of deploy/k8s: each target builds (kubectl kustomize, or the fallback builder
// when kubectl is absent), every object matches its Kubernetes or KEDA schema with no unknown
// keys, every pod is hardened, probed and sized, every reference resolves, and the services'
// command, ports and environment are the ones in facts.ts. The config file is validated by the
// project's own loader.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@newsroom/platform/config/load";
import { checkSchema } from "./k8s-schema.js";
import { built, find, kubectl, kubectlKustomize, K8S_DIR, stripHashSuffixes, TARGETS, type K8sObject } from "./kustomize.js";
import { fallbackKustomize, podContainers, podSpec } from "./kustomize-fallback.js";
import {
  COMMAND,
  CONFIG_PATH,
  GRPC_PORT,
  LEDGER_DIR,
  PROVIDER_KEYS_SECRET,
  ROLE_SERVICE,
  SERVICE_UID,
  SERVICES,
  VOICE_SERVICE,
  serviceEnv,
  type ServiceName,
} from "./facts.js";

type Obj = Record<string, any>;
const PODS = new Set(["Deployment", "StatefulSet", "Job"]);
const workloads = (objects: K8sObject[]) => objects.filter((o) => PODS.has(o.kind));
const id = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
const envOf = (c: Obj): Obj[] => c.env ?? [];

/** Sorted keys everywhere, so two builds compare by content. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Obj)[k])]));
  return v;
}

describe.each(TARGETS)("deploy/k8s/%s", (target) => {
  const objects = () => built(target).objects;

  it("builds, with one object per kind and name", () => {
    const keys = objects().map(id);
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it.skipIf(!kubectl())("builds the same with the fallback builder as with kubectl kustomize", () => {
    const fallback = fallbackKustomize(K8S_DIR + target);
    const real = stripHashSuffixes(kubectlKustomize(K8S_DIR + target), fallback.generated);
    const byKey = (list: K8sObject[]) => Object.fromEntries(list.map((o) => [`${id(o)}@${o.metadata.namespace ?? ""}`, canonical(o)]));
    expect(byKey(fallback.objects)).toEqual(byKey(real));
  });

  it("matches the Kubernetes and KEDA schemas, with no unknown keys", () => {
    const problems = objects().flatMap((o) => {
      const r = checkSchema(o);
      return [...r.errors.map((e) => `${id(o)}: ${e}`), ...r.unknownKeys.map((k) => `${id(o)}: unknown key ${k}`)];
    });
    expect(problems).toEqual([]);
  });

  it("commits no Secret: secrets are referenced only", () => {
    expect(objects().filter((o) => o.kind === "Secret").map(id)).toEqual([]);
  });

  it("hardens every pod and container", () => {
    const problems: string[] = [];
    for (const w of workloads(objects())) {
      const pod = podSpec(w) as Obj;
      const sc = pod.securityContext ?? {};
      if (pod.automountServiceAccountToken !== false) problems.push(`${id(w)}: automountServiceAccountToken is not false`);
      if (sc.runAsNonRoot !== true) problems.push(`${id(w)}: runAsNonRoot is not true`);
      if (!(sc.runAsUser > 0)) problems.push(`${id(w)}: runAsUser is not a non-root uid`);
      if (sc.seccompProfile?.type !== "RuntimeDefault") problems.push(`${id(w)}: seccompProfile is not RuntimeDefault`);
      if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push(`${id(w)}: uses a host namespace`);
      for (const c of podContainers(w) as Obj[]) {
        const csc = c.securityContext ?? {};
        const where = `${id(w)} container ${c.name}`;
        if (csc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
        if (csc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
        if (!csc.capabilities?.drop?.includes("ALL")) problems.push(`${where}: capabilities do not drop ALL`);
        if (csc.capabilities?.add?.length) problems.push(`${where}: adds capabilities`);
        if (csc.privileged) problems.push(`${where}: privileged`);
        if (csc.runAsUser === 0) problems.push(`${where}: runs as root`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("sets CPU and memory requests and limits on every container", () => {
    const missing = workloads(objects()).flatMap((w) =>
      (podContainers(w) as Obj[]).flatMap((c) =>
        ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]
          .filter((p) => !p.split(".").reduce((v: Obj | undefined, k) => v?.[k], c.resources))
          .map((p) => `${id(w)} container ${c.name}: resources.${p} missing`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it("probes every long-running container for readiness and liveness", () => {
    const missing = workloads(objects())
      .filter((w) => w.kind !== "Job")
      .flatMap((w) =>
        (podContainers(w) as Obj[]).flatMap((c) =>
          ["readinessProbe", "livenessProbe"].filter((p) => !c[p]).map((p) => `${id(w)} container ${c.name}: no ${p}`),
        ),
      );
    expect(missing).toEqual([]);
  });

  it("pins every image to a tag other than latest (overlays)", () => {
    if (target === "base") return; // the base's `newsroom` image gets its tag from the overlay
    const loose = workloads(objects()).flatMap((w) =>
      (podContainers(w) as Obj[]).map((c) => c.image as string).filter((img) => !/:[^/:]+$/.test(img) || img.endsWith(":latest")),
    );
    expect(loose).toEqual([]);
  });

  it("resolves every ConfigMap, PersistentVolumeClaim and Service reference inside the build", () => {
    const all = objects();
    const has = (kind: string, name: string) => all.some((o) => o.kind === kind && o.metadata.name === name);
    const problems: string[] = [];
    for (const w of workloads(all)) {
      const pod = podSpec(w) as Obj;
      const claims = new Set(((w.spec as Obj).volumeClaimTemplates ?? []).map((t: Obj) => t.metadata.name));
      const volumes = new Set<string>([...(pod.volumes ?? []).map((v: Obj) => v.name), ...claims]);
      for (const v of pod.volumes ?? []) {
        if (v.configMap && !has("ConfigMap", v.configMap.name)) problems.push(`${id(w)}: ConfigMap ${v.configMap.name} is not in the build`);
        if (v.persistentVolumeClaim && !has("PersistentVolumeClaim", v.persistentVolumeClaim.claimName))
          problems.push(`${id(w)}: PersistentVolumeClaim ${v.persistentVolumeClaim.claimName} is not in the build`);
      }
      for (const c of podContainers(w) as Obj[]) {
        for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problems.push(`${id(w)}: mounts unknown volume ${m.name}`);
        for (const e of envOf(c)) {
          const ref = e.valueFrom?.configMapKeyRef;
          if (ref && !has("ConfigMap", ref.name)) problems.push(`${id(w)}: env ${e.name} reads missing ConfigMap ${ref.name}`);
          // URLs to in-cluster Services must name a Service of the build and one of its ports.
          const url = typeof e.value === "string" ? /^[a-z]+:\/\/([a-z0-9-]+):(\d+)/.exec(e.value) : null;
          if (url) {
            const svc = all.find((o) => o.kind === "Service" && o.metadata.name === url[1]);
            if (!svc) problems.push(`${id(w)}: env ${e.name}=${e.value} names no Service of the build`);
            else if (!(svc.spec as Obj).ports.some((p: Obj) => p.port === Number(url[2])))
              problems.push(`${id(w)}: env ${e.name}=${e.value}: Service ${url[1]} has no port ${url[2]}`);
          }
        }
      }
    }
    for (const s of all.filter((o) => o.kind === "Service")) {
      const selector = (s.spec as Obj).selector as Record<string, string>;
      const pods = workloads(all).filter((w) => {
        const labels = ((w.spec as Obj).template?.metadata?.labels ?? {}) as Record<string, string>;
        return Object.entries(selector).every(([k, v]) => labels[k] === v);
      });
      if (!pods.length) problems.push(`${id(s)}: selects no pod`);
      const ports = new Set(pods.flatMap((w) => (podContainers(w) as Obj[]).flatMap((c) => (c.ports ?? []).flatMap((p: Obj) => [p.name, p.containerPort]))));
      for (const p of (s.spec as Obj).ports) if (!ports.has(p.targetPort)) problems.push(`${id(s)}: targetPort ${p.targetPort} is no container port`);
    }
    expect(problems).toEqual([]);
  });

  it("documents every Secret it references in an example file, key by key", () => {
    const examples = exampleSecrets();
    const used = new Map<string, Set<string>>();
    const use = (name: string, key: string) => (used.get(name) ?? used.set(name, new Set()).get(name)!).add(key);
    for (const w of workloads(objects()))
      for (const c of podContainers(w) as Obj[]) {
        for (const e of envOf(c)) if (e.valueFrom?.secretKeyRef) use(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
        for (const f of c.envFrom ?? []) if (f.secretRef) for (const k of examples.get(f.secretRef.name) ?? ["(no example file)"]) use(f.secretRef.name, k);
      }
    const problems: string[] = [];
    for (const [name, keys] of used)
      for (const k of keys) if (!examples.get(name)?.includes(k)) problems.push(`Secret ${name} key ${k} is not in ${name}.example.env`);
    expect(problems).toEqual([]);
    expect(used.size).toBeGreaterThan(0);
  });
});

/** Secret name -> keys, from deploy/k8s/{base,components/*}/secrets/<name>.example.env. */
function exampleSecrets(): Map<string, string[]> {
  const dirs = [K8S_DIR + "base/secrets", ...readdirSync(K8S_DIR + "components").map((c) => `${K8S_DIR}components/${c}/secrets`)];
  const out = new Map<string, string[]>();
  for (const dir of dirs.filter((d) => existsSync(d)))
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".example.env")))
      out.set(
        f.replace(/\.example\.env$/, ""),
        readFileSync(`${dir}/${f}`, "utf8")
          .split("\n")
          .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
          .map((l) => l.split("=")[0]),
      );
  return out;
}

describe("every example secret key is used by some build", () => {
  it("has no stale keys", () => {
    const referenced = new Set<string>();
    for (const t of TARGETS)
      for (const w of workloads(built(t).objects))
        for (const c of podContainers(w) as Obj[]) {
          for (const e of envOf(c)) if (e.valueFrom?.secretKeyRef) referenced.add(`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
          for (const f of c.envFrom ?? []) if (f.secretRef) referenced.add(`${f.secretRef.name}/*`);
        }
    // The operator's NATS password is for people, not pods; nats.conf reads it (bus-permissions.test.ts).
    const stale = [...exampleSecrets()].flatMap(([name, keys]) =>
      keys.filter((k) => !referenced.has(`${name}/${k}`) && !referenced.has(`${name}/*`)).map((k) => `${name}/${k}`),
    );
    expect(stale).toEqual([]);
  });
});

describe("the newsroom services", () => {
  const objects = () => built("overlays/prod").objects;
  const deployment = (svc: ServiceName) => find(objects(), "Deployment", svc);
  const container = (svc: ServiceName) => (podContainers(deployment(svc)) as Obj[])[0];

  it.each(SERVICES)("%s runs `serve <service>` from the shared image with one container", (svc) => {
    const d = deployment(svc);
    expect(podContainers(d)).toHaveLength(1);
    expect(container(svc).command).toEqual(COMMAND);
    expect(container(svc).args).toEqual(["serve", svc]);
    const migrate = (podContainers(find(objects(), "Job", "newsroom-migrate")) as Obj[])[0];
    expect(container(svc).image).toBe(migrate.image);
  });

  it.each(SERVICES)("%s serves gRPC health on GRPC_PORT, probed natively, behind its Service", (svc) => {
    const c = container(svc);
    expect(envOf(c).find((e) => e.name === "GRPC_PORT")?.value).toBe(String(GRPC_PORT));
    expect(c.ports).toContainEqual({ name: "grpc", containerPort: GRPC_PORT });
    for (const p of ["startupProbe", "readinessProbe", "livenessProbe"]) expect(c[p]?.grpc?.port, `${svc} ${p}`).toBe(GRPC_PORT);
    const service = find(objects(), "Service", svc).spec as Obj;
    expect(service.ports).toContainEqual(expect.objectContaining({ port: GRPC_PORT, targetPort: "grpc" }));
  });

  it.each(SERVICES)("%s gives the graceful shutdown time to finish", (svc) => {
    expect((podSpec(deployment(svc)) as Obj).terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
  });

  it.each(SERVICES)("%s sets the environment the code reads", (svc) => {
    const env = Object.fromEntries(
      envOf(container(svc)).map((e) => [e.name, e.valueFrom?.secretKeyRef ? { secret: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key } : e.value]),
    );
    for (const [name, want] of Object.entries(serviceEnv(svc))) expect(env[name], `${svc} ${name}`).toEqual(want);
  });

  it.each(SERVICES)("%s mounts the config where NEWSROOM_CONFIG points, and a writable /tmp", (svc) => {
    const c = container(svc);
    const pod = podSpec(deployment(svc)) as Obj;
    const dir = CONFIG_PATH.slice(0, CONFIG_PATH.lastIndexOf("/"));
    const mount = (c.volumeMounts as Obj[]).find((m) => m.mountPath === dir);
    expect(mount?.readOnly).toBe(true);
    const volume = (pod.volumes as Obj[]).find((v) => v.name === mount!.name);
    const cm = find(objects(), "ConfigMap", volume!.configMap.name);
    expect(Object.keys(cm.data as Obj)).toContain(CONFIG_PATH.slice(dir.length + 1));
    const tmp = (c.volumeMounts as Obj[]).find((m) => m.mountPath === "/tmp");
    expect((pod.volumes as Obj[]).find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
  });

  it.each(SERVICES)("%s keeps the ledger's crash journal (LEDGER_DIR) on a writable volume that outlives the container", (svc) => {
    const c = container(svc);
    expect(envOf(c).find((e) => e.name === "LEDGER_DIR")?.value).toBe(LEDGER_DIR);
    const mount = (c.volumeMounts as Obj[]).find((m) => m.mountPath === LEDGER_DIR);
    expect(mount, `${svc}: nothing mounted at ${LEDGER_DIR}`).toBeDefined();
    expect(mount!.readOnly ?? false).toBe(false);
    const volume = ((podSpec(deployment(svc)) as Obj).volumes as Obj[]).find((v) => v.name === mount!.name);
    // An emptyDir (kept across container restarts) or a claim; not the read-only root filesystem.
    expect(volume?.emptyDir ?? volume?.persistentVolumeClaim, `${svc}: volume ${mount!.name}`).toBeDefined();
  });

  it("publisher writes OUTPUT_DIR to its PersistentVolumeClaim, one pod at a time", () => {
    const c = container("publisher");
    const out = envOf(c).find((e) => e.name === "OUTPUT_DIR")!.value;
    const mount = (c.volumeMounts as Obj[]).find((m) => m.mountPath === out);
    const volume = ((podSpec(deployment("publisher")) as Obj).volumes as Obj[]).find((v) => v.name === mount?.name);
    expect(volume?.persistentVolumeClaim).toBeDefined();
    find(objects(), "PersistentVolumeClaim", volume!.persistentVolumeClaim.claimName);
    expect((deployment("publisher").spec as Obj).strategy?.type).toBe("Recreate");
  });

  it("gives each service exactly the provider keys its roles need, named as the config names them", () => {
    const cm = find(objects(), "ConfigMap", "newsroom-config");
    const cfg = parseConfig((cm.data as Obj)["newsroom.yaml"], CONFIG_PATH, {});
    const need = new Map<ServiceName, Set<string>>(SERVICES.map((s) => [s, new Set()]));
    for (const [role, chain] of Object.entries(cfg.chains))
      for (const entry of chain) if (entry.config.api_key_env) need.get(ROLE_SERVICE[role])!.add(entry.config.api_key_env);
    for (const voices of Object.values(cfg.voices))
      for (const ref of Array.isArray(voices) ? voices : Object.values(voices ?? {}).flat()) {
        const tts = cfg.tts_providers[ref.slice(0, ref.indexOf("/"))];
        for (const k of [tts.api_key_env, tts.group_id_env]) if (k) need.get(VOICE_SERVICE)!.add(k);
      }
    for (const svc of SERVICES) {
      const given = envOf(container(svc)).filter((e) => e.valueFrom?.secretKeyRef?.name === PROVIDER_KEYS_SECRET);
      for (const e of given) expect(e.valueFrom.secretKeyRef.key, `${svc} env ${e.name}`).toBe(e.name);
      expect(given.map((e) => e.name).sort(), svc).toEqual([...need.get(svc)!].sort());
    }
  });
});

describe("the config file", () => {
  const cfg = () => {
    const cm = find(built("base").objects, "ConfigMap", "newsroom-config");
    return parseConfig((cm.data as Obj)["newsroom.yaml"], CONFIG_PATH, {});
  };

  it("passes the project's own config loader (schema and camp rules)", () => {
    expect(cfg().chains.writer.length).toBeGreaterThan(1);
  });

  it("has a US and a CN model in every role's chain", () => {
    const weak = Object.entries(cfg().chains)
      .filter(([, chain]) => !(chain.some((c) => c.camp === "us") && chain.some((c) => c.camp === "cn")))
      .map(([role]) => role);
    expect(weak).toEqual([]);
  });

  it("voices every anchor with MiniMax first, ElevenLabs as backup and the local engine last", () => {
    const c = cfg();
    for (const persona of ["anchor_a", "anchor_b"] as const) {
      const voices = c.voices[persona];
      const kinds = (Array.isArray(voices) ? voices : []).map((ref) => c.tts_providers[ref.slice(0, ref.indexOf("/"))].kind);
      expect(kinds, persona).toEqual(["minimax", "elevenlabs", "local"]);
    }
  });
});

describe("the migration Job", () => {
  it("runs `migrate` against DATABASE_URL from its Secret, once", () => {
    const job = find(built("overlays/prod").objects, "Job", "newsroom-migrate");
    const c = (podContainers(job) as Obj[])[0];
    expect(c.command).toEqual(COMMAND);
    expect(c.args).toEqual(["migrate"]);
    const db = serviceEnv("ingest").DATABASE_URL as { secret: string; key: string };
    expect(envOf(c).find((e) => e.name === "DATABASE_URL")?.valueFrom?.secretKeyRef).toEqual({ name: db.secret, key: db.key });
    expect((podSpec(job) as Obj).restartPolicy).toBe("OnFailure");
    expect((podSpec(job) as Obj).securityContext.runAsUser).toBe(SERVICE_UID);
  });
});
