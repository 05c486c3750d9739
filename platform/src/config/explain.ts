// Turns zod's issues about a config file into one line each: the key path, what was expected for
// that key and what was found. Fields with a message of their own say it in schema.ts (zod's
// `error` option); `expectedOf` phrases the rest (types, enums, ranges, unknown keys) the same way.
import type { z } from "zod";

type RawIssue = z.core.$ZodRawIssue;
type Issue = z.core.$ZodIssue & { input?: unknown };

/** A per-parse error map: what a key expected, for issues whose field gives no message of its own. */
export function expectedOf(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${TYPES[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return `expected ${issue.values.length > 2 ? "one of " : ""}${orList(issue.values.map((v) => JSON.stringify(v)))}`;
    case "too_small":
    case "too_big":
      return `expected ${bound(issue)}`;
    case "invalid_format":
      return issue.format === "url" ? "expected a URL such as https://example.org/" : issue.format === "email" ? "expected an email address" : `expected text in ${issue.format} format`;
    case "unrecognized_keys":
      return unknownKeys(issue.keys, knownKeys(issue.inst));
    case "invalid_union":
      return "expected one of the forms this key allows";
    default:
      return undefined;
  }
}

/** One line per problem; a union that the input plainly meant as one of its forms reports that form's problems. */
export function explainIssues(issues: readonly Issue[], at: PropertyKey[] = []): string[] {
  return issues.flatMap((issue) => {
    const path = [...at, ...issue.path];
    if (issue.code === "invalid_union") {
      const meant = issue.errors.filter((branch) => branch.every(fitsItsForm));
      if (meant.length === 1) return explainIssues(meant[0] as Issue[], path);
    }
    if (issue.code === "unrecognized_keys") return [`${keyPath(path)}: ${issue.message}`];
    if (issue.code === "invalid_key") return [`${keyPath(path)}: ${issue.issues[0]?.message ?? issue.message}, found the key ${JSON.stringify(path.at(-1))}`];
    const secret = issue.code === "custom" && issue.params?.secret === true;
    return [`${keyPath(path)}: ${issue.message}, found ${secret ? "a value not shown here (it may be a secret)" : shown(issue.input)}`];
  });
}

/**
 * A union form's issue that still shows the input has that form: the problem sits below the
 * value itself (a bad `zh` inside {zh, en} names) and is not a missing key (a form is told apart
 * by its keys: {url} is not meant when there is no url).
 */
function fitsItsForm(issue: Issue): boolean {
  return issue.path.length > 0 && !(issue.path.length === 1 && issue.code === "invalid_type" && issue.input === undefined);
}

const TYPES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping of keys to values",
};

function bound(issue: z.core.$ZodRawIssue<z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig>): string {
  const small = issue.code === "too_small";
  const limit = Number(small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum);
  const than = small ? (issue.inclusive ? "at least" : "more than") : issue.inclusive ? "at most" : "fewer than";
  if (issue.origin === "string") return `text of ${than} ${limit} character${limit === 1 ? "" : "s"}`;
  if (issue.origin === "array") return `${than} ${limit} item${limit === 1 ? "" : "s"}`;
  return `a number ${small ? (issue.inclusive ? "of at least" : "above") : issue.inclusive ? "of at most" : "below"} ${limit}`;
}

/** The keys an object (its shape) or an enum-keyed record (its key enum) allows. */
function knownKeys(inst: unknown): string[] {
  const def = (inst as { _zod?: { def?: { shape?: object; keyType?: { _zod: { values?: Set<unknown> } } } } })?._zod?.def;
  if (def?.shape) return Object.keys(def.shape);
  return [...(def?.keyType?._zod.values ?? [])].map(String);
}

/** Unknown keys, each with the known key it most likely meant; the known keys listed when a key has no such guess. */
function unknownKeys(keys: string[], known: string[]): string {
  const guesses = keys.map((k) => closest(k, known));
  const each = keys.map((k, i) => `${JSON.stringify(k)}${guesses[i] ? ` (did you mean ${JSON.stringify(guesses[i])}?)` : ""}`);
  const list = known.length && guesses.some((g) => !g) ? `, expected one of ${known.join(", ")}` : "";
  return `unknown key${keys.length > 1 ? "s" : ""} ${each.join(", ")}${list}`;
}

/** The known key a typo most likely meant: a case slip, or at most a third of its letters off. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

function orList(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} or ${items.at(-1)}` : (items[0] ?? "nothing");
}

function keyPath(path: PropertyKey[]): string {
  if (!path.length) return "(top level)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
