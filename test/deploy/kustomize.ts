// Builds a kustomization: with `kubectl kustomize` when kubectl is installed, otherwise with the
// fallback builder (kustomize-fallback.ts). Either way the result is plain objects, with the
// generated ConfigMaps under their plain names so the checks read the same in both cases.
import { execFileSync } from "node:child_process";
import { parseAllDocuments } from "yaml";
import { fallbackKustomize, type K8sObject } from "./kustomize-fallback.js";

export type { K8sObject } from "./kustomize-fallback.js";

export interface Build {
  objects: K8sObject[];
  via: "kubectl" | "fallback";
}

let kubectlChecked: string | null | undefined;

/** Path of kubectl when it can run `kustomize`, else null. NEWSROOM_NO_KUBECTL=1 forces the fallback. */
export function kubectl(): string | null {
  if (kubectlChecked !== undefined) return kubectlChecked;
  kubectlChecked = null;
  if (process.env.NEWSROOM_NO_KUBECTL === "1") return null;
  try {
    execFileSync("kubectl", ["kustomize", "--help"], { stdio: "ignore" });
    kubectlChecked = "kubectl";
  } catch {
    kubectlChecked = null;
  }
  return kubectlChecked;
}

export function kubectlKustomize(dir: string): K8sObject[] {
  const out = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", maxBuffer: 64 << 20 });
  return parseAllDocuments(out).map((d) => d.toJS() as K8sObject);
}

/** Kustomize's hash suffix on a generated name: "-" and 10 characters of its alphabet. */
const HASH_SUFFIX = /-[bcdfghkmnt2-9]{10}$/;

/** Replaces "<generated>-<hash>" with "<generated>" in every string of the objects. */
export function stripHashSuffixes(objects: K8sObject[], generated: string[]): K8sObject[] {
  const names = new Set(generated);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const base = v.replace(HASH_SUFFIX, "");
      return base !== v && names.has(base) ? base : v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return objects.map((o) => walk(o) as K8sObject);
}

export function buildKustomization(dir: string): Build {
  const fallback = fallbackKustomize(dir);
  if (!kubectl()) return { objects: fallback.objects, via: "fallback" };
  return { objects: stripHashSuffixes(kubectlKustomize(dir), fallback.generated), via: "kubectl" };
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} named ${name} in the build (have: ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")})`);
  return o;
}

export const K8S_DIR = new URL("../../deploy/k8s/", import.meta.url).pathname;
export const TARGETS = ["base", "overlays/dev", "overlays/prod"] as const;
export type Target = (typeof TARGETS)[number];

const builds = new Map<Target, Build>();

/** The build of base or an overlay, made once per test file. */
export function built(target: Target): Build {
  let b = builds.get(target);
  if (!b) builds.set(target, (b = buildKustomization(K8S_DIR + target)));
  return b;
}
