// Careful, schema-guided fixes for what weak models get wrong in otherwise good JSON: keys in
// the wrong case or style (StoryId, story_id for storyId), numbers and booleans sent as
// strings, enum values in the wrong case. Only applied when the reply failed validation as is,
// and only where the JSON Schema says exactly what was meant.

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
};

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function coerceToSchema(value: unknown, schema: object): unknown {
  return coerce(value, schema as JsonSchema, schema as JsonSchema, 0);
}

function coerce(value: unknown, s: JsonSchema | undefined, root: JsonSchema, depth: number): unknown {
  if (!s || typeof s !== "object" || depth > 64) return value;
  if (s.$ref) return coerce(value, resolveRef(root, s.$ref), root, depth + 1);
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    for (const b of branches) if (fits(value, b, root)) return coerce(value, b, root, depth + 1);
    for (const b of branches) {
      const c = coerce(value, b, root, depth + 1);
      if (fits(c, b, root)) return c;
    }
    return value;
  }
  if (s.allOf) return s.allOf.reduce((v, b) => coerce(v, b, root, depth + 1), value);

  const types = typesOf(s);
  if (typeof value === "string") {
    const t = value.trim();
    if (s.enum) return s.enum.find((e) => e === value) ?? uniqueCaseMatch(t, s.enum) ?? value;
    if (typeof s.const === "string" && t.toLowerCase() === s.const.toLowerCase()) return s.const;
    if ((types.has("number") || types.has("integer")) && !types.has("string") && NUMERIC.test(t)) {
      const n = Number(t);
      if (Number.isFinite(n) && (!types.has("integer") || types.has("number") || Number.isInteger(n))) return n;
    }
    if (types.has("boolean") && !types.has("string") && /^(true|false)$/i.test(t)) return t.toLowerCase() === "true";
    if (types.has("null") && !types.has("string") && /^null$/i.test(t)) return null;
    return value;
  }
  if (typeof value === "number" && types.has("string") && !types.has("number") && !types.has("integer") && !s.enum) return String(value);
  if (Array.isArray(value)) return value.map((v, i) => coerce(v, s.prefixItems?.[i] ?? s.items, root, depth + 1));
  if (value && typeof value === "object" && s.properties) return coerceObject(value as Record<string, unknown>, s, root, depth);
  return value;
}

function coerceObject(obj: Record<string, unknown>, s: JsonSchema, root: JsonSchema, depth: number) {
  const props = s.properties ?? {};
  const byNorm = new Map<string, string[]>();
  for (const p of Object.keys(props)) byNorm.set(norm(p), [...(byNorm.get(norm(p)) ?? []), p]);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    let key = k;
    if (!(k in props)) {
      const matches = byNorm.get(norm(k)) ?? [];
      // Rename only when one property fits and the reply does not also carry it under its own name.
      if (matches.length === 1 && !(matches[0] in obj)) key = matches[0];
    }
    if (key in out) continue;
    const sub = props[key] ?? (typeof s.additionalProperties === "object" ? s.additionalProperties : undefined);
    out[key] = coerce(v, sub, root, depth + 1);
  }
  return out;
}

/** Does `value` have a JSON type the schema accepts (shallow)? */
function fits(value: unknown, s: JsonSchema, root: JsonSchema): boolean {
  if (s.$ref) return fits(value, resolveRef(root, s.$ref) ?? {}, root);
  if (s.enum) return s.enum.includes(value);
  if (s.const !== undefined) return s.const === value;
  const types = typesOf(s);
  if (!types.size) return true;
  const t = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  if (t === "number") return types.has("number") || (types.has("integer") && Number.isInteger(value));
  return types.has(t);
}

function typesOf(s: JsonSchema): Set<string> {
  return new Set(Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);
}

function uniqueCaseMatch(value: string, options: unknown[]): unknown {
  const hits = options.filter((o) => typeof o === "string" && norm(o) === norm(value));
  return hits.length === 1 ? hits[0] : undefined;
}

/** Case, underscores, hyphens and spaces do not tell keys apart. */
function norm(key: string): string {
  return key.toLowerCase().replace(/[\s_-]/g, "");
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === "#") return root;
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  return m ? root[m[1] as "$defs" | "definitions"]?.[decodeURIComponent(m[2])] : undefined;
}
