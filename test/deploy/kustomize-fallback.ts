// A stand-in for `kubectl kustomize` when CI has no kubectl. It implements only the features
// deploy/k8s uses, and refuses anything else so it never builds something different in silence:
//   resources (files and folders), components, configMapGenerator (files, literals),
//   patches (strategic merge, by target or by the patch's kind and name), images, replicas,
//   namespace (which also renames a Namespace object, as kustomize does).
// One deliberate difference: generated ConfigMaps keep their plain names (kustomize adds a content
// hash suffix and rewrites the references). manifests.test.ts compares this builder with kubectl
// whenever kubectl is present, hash suffixes aside.
import { readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { strategicMerge } from "./strategic-merge.js";

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

interface PatchRef {
  path?: string;
  patch?: string;
  target?: { kind?: string; name?: string; labelSelector?: string; group?: string; version?: string };
}

interface KustomizationFile {
  apiVersion: string;
  kind: "Kustomization" | "Component";
  namespace?: string;
  resources?: string[];
  components?: string[];
  configMapGenerator?: { name: string; files?: string[]; literals?: string[] }[];
  patches?: PatchRef[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  replicas?: { name: string; count: number }[];
}

const SUPPORTED = new Set(["apiVersion", "kind", "namespace", "resources", "components", "configMapGenerator", "patches", "images", "replicas"]);
const CLUSTER_SCOPED = new Set(["Namespace", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"]);
const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "Pod"]);

export interface FallbackBuild {
  objects: K8sObject[];
  /** Names of the ConfigMaps made by configMapGenerator (kustomize would add a hash suffix). */
  generated: string[];
}

export function fallbackKustomize(dir: string): FallbackBuild {
  const generated: string[] = [];
  const objects = build(dir, "Kustomization", [], generated);
  return { objects, generated };
}

function readKustomization(dir: string, expected: KustomizationFile["kind"]): KustomizationFile {
  const file = join(dir, "kustomization.yaml");
  const k = parse(readFileSync(file, "utf8")) as KustomizationFile;
  if (k.kind !== expected) throw new Error(`${file}: expected kind ${expected}, found ${k.kind}`);
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length) throw new Error(`${file}: the fallback builder does not support ${unsupported.join(", ")}; use kubectl kustomize or extend test/deploy/kustomize-fallback.ts`);
  return k;
}

/** Builds a Kustomization, or applies a Component to the objects built so far. */
function build(dir: string, kind: KustomizationFile["kind"], inherited: K8sObject[], generated: string[]): K8sObject[] {
  const k = readKustomization(dir, kind);
  let objects = [...inherited];
  for (const r of k.resources ?? []) {
    const path = join(dir, r);
    if (statSync(path).isDirectory()) objects.push(...build(path, "Kustomization", [], generated));
    else objects.push(...readObjects(path));
  }
  for (const c of k.components ?? []) objects = build(join(dir, c), "Component", objects, generated);
  for (const g of k.configMapGenerator ?? []) {
    objects.push(generateConfigMap(dir, g));
    generated.push(g.name);
  }
  for (const p of k.patches ?? []) objects = applyPatch(dir, p, objects);
  for (const img of k.images ?? []) objects.forEach((o) => setImage(o, img));
  for (const r of k.replicas ?? []) {
    const target = objects.filter((o) => o.metadata.name === r.name && (o.kind === "Deployment" || o.kind === "StatefulSet"));
    if (!target.length) throw new Error(`${dir}: replicas names ${r.name}, which no Deployment or StatefulSet has`);
    target.forEach((o) => ((o.spec as Record<string, unknown>).replicas = r.count));
  }
  if (k.namespace) objects = objects.map((o) => withNamespace(o, k.namespace!));
  return objects;
}

function readObjects(path: string): K8sObject[] {
  return parseAllDocuments(readFileSync(path, "utf8"))
    .map((d) => {
      if (d.errors.length) throw new Error(`${path}: ${d.errors[0].message}`);
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

function generateConfigMap(dir: string, g: { name: string; files?: string[]; literals?: string[] }): K8sObject {
  const data: Record<string, string> = {};
  for (const f of g.files ?? []) {
    const [key, path] = f.includes("=") ? f.split("=", 2) : [basename(f), f];
    data[key] = readFileSync(join(dir, path), "utf8");
  }
  for (const l of g.literals ?? []) {
    const at = l.indexOf("=");
    data[l.slice(0, at)] = l.slice(at + 1);
  }
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: g.name }, data };
}

function applyPatch(dir: string, ref: PatchRef, objects: K8sObject[]): K8sObject[] {
  if (!ref.path && !ref.patch) throw new Error(`${dir}: a patch needs path or patch`);
  const patch = parse(ref.path ? readFileSync(join(dir, ref.path), "utf8") : ref.patch!) as K8sObject;
  if (Array.isArray(patch)) throw new Error(`${dir}: JSON 6902 patches are not supported by the fallback builder`);
  const matches = (o: K8sObject) =>
    ref.target
      ? (!ref.target.kind || o.kind === ref.target.kind) &&
        (!ref.target.name || new RegExp(`^${ref.target.name}$`).test(o.metadata.name)) &&
        (!ref.target.labelSelector || selects(ref.target.labelSelector, o.metadata.labels ?? {}))
      : o.kind === patch.kind && o.metadata.name === patch.metadata.name;
  // A targeted patch's own name and namespace are placeholders.
  const { name: _n, namespace: _ns, ...meta } = patch.metadata ?? {};
  const body = { ...patch, metadata: meta } as unknown as Parameters<typeof strategicMerge>[1];
  let hits = 0;
  const out = objects.map((o) => {
    if (!matches(o)) return o;
    hits++;
    return strategicMerge(o as never, body) as unknown as K8sObject;
  });
  if (!hits) throw new Error(`${dir}: patch ${ref.path ?? "(inline)"} matches no object`);
  return out;
}

/** Equality-based label selectors only ("a=b,c!=d"), which is all the patches use. */
function selects(selector: string, labels: Record<string, string>): boolean {
  return selector.split(",").every((term) => {
    const m = /^\s*([^!=\s]+)\s*(!=|==?)\s*([^!=\s]*)\s*$/.exec(term);
    if (!m) throw new Error(`label selector "${selector}": only key=value and key!=value terms are supported`);
    const [, k, op, v] = m;
    return op === "!=" ? labels[k] !== v : labels[k] === v;
  });
}

function setImage(o: K8sObject, img: { name: string; newName?: string; newTag?: string; digest?: string }) {
  if (!WORKLOADS.has(o.kind)) return;
  for (const c of podContainers(o)) {
    const m = /^([^@:]+(?::\d+\/[^@:]+)?)(?::([^@]+))?(?:@(.+))?$/.exec(c.image as string);
    if (!m || m[1] !== img.name) continue;
    const name = img.newName ?? m[1];
    c.image = img.digest ? `${name}@${img.digest}` : img.newTag ? `${name}:${img.newTag}` : m[2] ? `${name}:${m[2]}` : name;
  }
}

export function podSpec(o: K8sObject): Record<string, unknown> | undefined {
  const spec = o.spec as Record<string, any> | undefined;
  if (!spec) return undefined;
  if (o.kind === "Pod") return spec;
  if (o.kind === "CronJob") return spec.jobTemplate?.spec?.template?.spec;
  return spec.template?.spec;
}

export function podContainers(o: K8sObject): Record<string, unknown>[] {
  const spec = podSpec(o) as { containers?: Record<string, unknown>[]; initContainers?: Record<string, unknown>[] } | undefined;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

function withNamespace(o: K8sObject, namespace: string): K8sObject {
  if (o.kind === "Namespace") return { ...o, metadata: { ...o.metadata, name: namespace } };
  if (CLUSTER_SCOPED.has(o.kind)) return o;
  return { ...o, metadata: { ...o.metadata, namespace } };
}
