// The part of Kubernetes' strategic merge patch that our kustomize patches use: maps merge
// recursively, `null` deletes a key, and lists of named things (containers, env, volumes, ...)
// merge item by item on their merge key; any other list is replaced. Order follows kustomize:
// the patch's items first (merged with the matching original), then the originals it didn't name.

/** Merge keys of the associative lists in the pod template (from the Kubernetes API's patchMergeKey). */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  ports: "containerPort",
  imagePullSecrets: "name",
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonMap = { [k: string]: Json };

function isMap(v: unknown): v is JsonMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function strategicMerge(original: Json, patch: Json, key?: string): Json {
  if (isMap(original) && isMap(patch)) {
    const out: JsonMap = { ...original };
    for (const [k, pv] of Object.entries(patch)) {
      if (pv === null) delete out[k];
      else out[k] = k in out ? strategicMerge(out[k], pv, k) : pv;
    }
    return out;
  }
  const mergeKey = key ? MERGE_KEYS[key] : undefined;
  if (Array.isArray(original) && Array.isArray(patch) && mergeKey) {
    const rest = [...original];
    const merged = patch.map((item) => {
      const at = rest.findIndex((o) => isMap(o) && isMap(item) && o[mergeKey] === item[mergeKey]);
      if (at < 0) return item;
      const [match] = rest.splice(at, 1);
      return strategicMerge(match, item);
    });
    return [...merged, ...rest];
  }
  return patch;
}
