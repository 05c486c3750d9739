// The project's runtime source text (not tests), for checks that compare the deployment with
// what the code reads and emits: environment variables, telemetry names, consumer names.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const REPO = new URL("../../", import.meta.url).pathname;

/** Folders holding code that runs in the image. */
export const RUNTIME_DIRS = ["cli/src", "cli/bin", "platform/src", "services"];

export interface SourceFile {
  path: string;
  text: string;
}

export function runtimeSources(dirs: string[] = RUNTIME_DIRS): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (name === "node_modules") continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|mts|mjs|js)$/.test(name) && !/\.test\.[mc]?[jt]s$/.test(name)) out.push({ path: relative(REPO, path), text: readFileSync(path, "utf8") });
    }
  };
  for (const d of dirs) walk(join(REPO, d));
  return out;
}

/**
 * Environment variable names the code reads: `env.X`, `env["X"]` (process.env or an `env`
 * parameter), destructuring `const { X, Y: y } = env`, and the upper-case keys of a zod schema
 * (`X: z.string()...`), which is how platform/src/service/settings.ts declares them.
 */
export function envNamesRead(files: SourceFile[] = runtimeSources()): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (name: string, path: string) => found.set(name, [...new Set([...(found.get(name) ?? []), path])]);
  for (const f of files) {
    for (const m of f.text.matchAll(/\benv(?:\.([A-Z_][A-Z0-9_]*)\b|\[\s*["'`]([A-Z_][A-Z0-9_]*)["'`]\s*\])/g)) add(m[1] ?? m[2], f.path);
    for (const m of f.text.matchAll(/\{([^{}]*)\}\s*=\s*(?:process\.)?env\b/g))
      for (const k of m[1].matchAll(/(?:^|,)\s*([A-Z_][A-Z0-9_]*)\s*(?=[:,=]|$)/g)) add(k[1], f.path);
    for (const m of f.text.matchAll(/^\s*([A-Z][A-Z0-9_]*):\s*z\./gm)) add(m[1], f.path);
  }
  return found;
}

/** Every string literal of the runtime code, e.g. to see whether a span attribute name exists. */
export function stringLiterals(files: SourceFile[] = runtimeSources()): Set<string> {
  const out = new Set<string>();
  for (const f of files) for (const m of f.text.matchAll(/"([^"\\\n]*)"|'([^'\\\n]*)'/g)) out.add(m[1] ?? m[2]);
  return out;
}

/** Package specifiers of import/export statements and dynamic imports (not relative paths). */
export function importedPackages(file: SourceFile): string[] {
  const specs = [
    ...file.text.matchAll(/^(?:import|export)\b[^;'"]*?\bfrom\s+["']([^"'.][^"']*)["']/gm),
    ...file.text.matchAll(/^import\s+["']([^"'.][^"']*)["']/gm),
    ...file.text.matchAll(/\bimport\(\s*["']([^"'.][^"']*)["']\s*\)/g),
  ].map((m) => m[1]);
  return [...new Set(specs)];
}

/** Event names written to the outbox: literally passed to `emit(...)` or `writeOutboxEvent(tx, ...)`, or an outbox row's `subject: "..."`. */
export function emittedEvents(files: SourceFile[]): Set<string> {
  const written = /(?:\bemit\(\s*|\bwriteOutboxEvent\(\s*[\w.]+,\s*|\bsubject:\s*)["']([a-z]+\.[a-z]+)["']/g;
  return new Set(files.flatMap((f) => [...f.text.matchAll(written)].map((m) => m[1])));
}
