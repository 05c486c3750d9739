// Validates objects against the Kubernetes (kubernetes-models) and KEDA (@kubernetes-models/keda)
// schemas, and reports keys the schemas do not know: the models' validators accept them silently,
// so a misspelt `readOnlyRootFileSystem` would otherwise pass.
//
// Unknown keys are found by watching the validator: it reads every property its schema
// declares (`data.x === undefined ? ... : check(data.x)`), and walks every key of a map
// (labels, ConfigMap data). So on each object it visits, a key it never read is unknown.
// Objects it never looks into at all are free-form in the schema and are left alone.
import * as appsV1 from "kubernetes-models/apps/v1";
import * as autoscalingV2 from "kubernetes-models/autoscaling/v2";
import * as batchV1 from "kubernetes-models/batch/v1";
import * as coreV1 from "kubernetes-models/v1";
import * as kedaV1alpha1 from "@kubernetes-models/keda/keda.sh/v1alpha1";
import type { K8sObject } from "./kustomize.js";

type ModelClass = { prototype: { validate(): void } };
const GROUPS: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  "apps/v1": appsV1,
  "autoscaling/v2": autoscalingV2,
  "batch/v1": batchV1,
  "keda.sh/v1alpha1": kedaV1alpha1,
};

export function modelFor(o: K8sObject): ModelClass {
  const model = GROUPS[o.apiVersion]?.[o.kind] as ModelClass | undefined;
  if (!model?.prototype?.validate) throw new Error(`${o.kind}/${o.metadata?.name}: no schema for ${o.apiVersion} ${o.kind}`);
  return model;
}

interface Visit {
  keys: string[];
  read: Set<string>;
  walked: boolean;
}

/** A copy of `value` whose objects record which of their keys were read. */
function watched(value: unknown, path: string, visits: Map<string, Visit>): unknown {
  if (Array.isArray(value)) return value.map((v, i) => watched(v, `${path}[${i}]`, visits));
  if (!value || typeof value !== "object") return value;
  const visit: Visit = { keys: Object.keys(value), read: new Set(), walked: false };
  visits.set(path, visit);
  const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, watched(v, path ? `${path}.${k}` : k, visits)]));
  return new Proxy(copy, {
    get(target, key, receiver) {
      if (typeof key === "string") visit.read.add(key);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === "string") visit.read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      visit.walked = true;
      return Reflect.ownKeys(target);
    },
  });
}

export interface SchemaReport {
  /** Schema violations as the validator words them. */
  errors: string[];
  /** Paths of keys the schema does not declare, e.g. "spec.template.spec.containers[0].securtyContext". */
  unknownKeys: string[];
}

export function checkSchema(o: K8sObject): SchemaReport {
  const model = modelFor(o);
  const visits = new Map<string, Visit>();
  const data = watched(o, "", visits);
  const errors: string[] = [];
  try {
    model.prototype.validate.call(data);
  } catch (err) {
    errors.push((err as Error).message);
  }
  const unknownKeys: string[] = [];
  for (const [path, v] of visits) {
    if (v.walked || v.read.size === 0) continue;
    for (const k of v.keys) if (!v.read.has(k)) unknownKeys.push(path ? `${path}.${k}` : k);
  }
  return { errors, unknownKeys };
}
