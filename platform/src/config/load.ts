// Reads, validates and resolves the config file. Errors name the key path, what was
// expected and what was found; nothing here ever prints a secret.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parseDocument } from "yaml";
import { isLoopback } from "../service/settings.js";
import { expectedOf, explainIssues } from "./explain.js";
import {
  configSchema,
  MODEL_ROLES,
  REVIEWS,
  type Camp,
  type ModelRole,
  type NewsroomConfig,
  type ProviderConfig,
} from "./schema.js";

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
    headline = "invalid config",
  ) {
    super(`${file}: ${headline}${problems.length ? "\n" + problems.map((p) => `  - ${p}`).join("\n") : ""}`);
    this.name = "ConfigError";
  }
}

export interface ChainEntry {
  ref: string;
  provider: string;
  model: string;
  camp: Camp;
  vendor: string;
  config: ProviderConfig;
}

export interface LoadedConfig extends NewsroomConfig {
  /** Absolute path of the file it came from (relative feed files resolve against its folder). */
  source: string;
  /** Every model role's chain, resolved against `providers`. */
  chains: Record<ModelRole, ChainEntry[]>;
  /** Warnings to print at every start (e.g. single-camp operation). */
  warnings: string[];
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a folder" : String(code ?? err);
    throw new ConfigError(path, [], `cannot read the config file (${why})`);
  }
  return parseConfig(text, path, env);
}

export function parseConfig(text: string, source: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) throw new ConfigError(source, doc.errors.map((e) => `YAML: ${e.message.split("\n")[0]}`));
  const raw = doc.toJS() ?? {};
  const parsed = configSchema.safeParse(raw, { error: expectedOf, reportInput: true });
  if (!parsed.success) throw new ConfigError(source, explainIssues(parsed.error.issues));
  return resolveConfig(parsed.data, source, env);
}

function resolveConfig(cfg: NewsroomConfig, source: string, env: NodeJS.ProcessEnv): LoadedConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const base = dirname(source);
  const feeds = cfg.feeds.map((f) =>
    "file" in f ? { ...f, file: abs(base, f.file) } : "opml" in f ? { ...f, opml: abs(base, f.opml) } : f,
  );

  // A missing feed file is not fatal (ingest skips it with the reason, and it may appear later),
  // but check-config and every start say so, naming the key, rather than an edition finding out.
  feeds.forEach((f, i) => {
    const path = "file" in f ? f.file : "opml" in f ? f.opml : undefined;
    if (path && !existsSync(path)) warnings.push(`feeds[${i}].${"file" in f ? "file" : "opml"}: ${path} does not exist; ingest skips it until it does`);
  });

  const chains = {} as Record<ModelRole, ChainEntry[]>;
  for (const role of MODEL_ROLES) {
    const refs = cfg.roles[role] ?? cfg.roles.default;
    if (!refs) {
      problems.push(`roles.${role}: expected a chain of "provider/model" references (every model role needs one, or give roles.default), found nothing`);
      continue;
    }
    const key = cfg.roles[role] ? role : "default";
    chains[role] = refs.map((ref, i) => {
      const slash = ref.indexOf("/");
      const provider = ref.slice(0, slash);
      const model = ref.slice(slash + 1);
      const config = cfg.providers[provider];
      if (!config) {
        problems.push(`roles.${key}[${i}]: expected a model of a provider defined under providers (${known(cfg.providers)}), found ${JSON.stringify(ref)}`);
        return undefined as never;
      }
      return { ref, provider, model, camp: config.camp, vendor: config.vendor ?? provider, config };
    });
  }

  for (const [name, p] of Object.entries(cfg.providers)) {
    if (p.api_key_env && env[p.api_key_env] === undefined)
      warnings.push(`providers.${name}: environment variable ${p.api_key_env} is not set; calls to it will fail and fall back`);
  }
  for (const [persona, voices] of Object.entries(cfg.voices)) {
    // One chain for every language (voices.anchor_a) or one per language (voices.anchor_a.zh).
    const chains = Array.isArray(voices) ? [[`voices.${persona}`, voices] as const] : Object.entries(voices ?? {}).map(([lang, refs]) => [`voices.${persona}.${lang}`, refs ?? []] as const);
    for (const [path, refs] of chains)
      refs.forEach((ref, i) => {
        const tts = ref.slice(0, ref.indexOf("/"));
        if (!cfg.tts_providers[tts])
          problems.push(`${path}[${i}]: expected a voice of a tts provider defined under tts_providers (${known(cfg.tts_providers)}), found ${JSON.stringify(ref)}`);
      });
  }

  if (!problems.length) {
    const campProblems = checkCamps(chains);
    if (campProblems.length && !cfg.allow_single_camp) problems.push(...campProblems);
    else if (campProblems.length) {
      const roles = [...new Set(campProblems.map((p) => p.slice("roles.".length, p.indexOf(":"))))];
      warnings.push(`allow_single_camp is on: trust-nobody rules are waived for ${roles.join(", ")}`);
    }
  }
  if (problems.length) throw new ConfigError(source, problems);
  if (isLoopback(new URL(cfg.podcast.base_url).hostname))
    warnings.push(
      `podcast.base_url is ${cfg.podcast.base_url}, a loopback address: the feed's links work only on this machine, and podcast apps and directories cannot reach them. Set podcast.base_url to where the editions folder is served.`,
    );
  return { ...cfg, feeds, source, chains, warnings };
}

/**
 * A start warning about models or voices (an unset API key, a voice, single-camp operation): a
 * service that runs no model or voice role does not print it. Warnings open with the key they are about.
 */
export function concernsModels(warning: string): boolean {
  return /^(providers|voices|roles)\.|^allow_single_camp\b/.test(warning);
}

/** Trust nobody: every chain spans two camps; a reviewer's first choice is not the author's vendor. */
export function checkCamps(chains: Record<ModelRole, ChainEntry[]>): string[] {
  const problems: string[] = [];
  const singleCamp = MODEL_ROLES.filter((r) => chains[r] && new Set(chains[r].map((c) => c.camp)).size < 2);
  for (const role of singleCamp) {
    const camp = chains[role][0].camp;
    problems.push(
      `roles.${role}: expected models from two camps (add a backup from ${["us", "cn", "local"].filter((c) => c !== camp).join(" or ")}, or set allow_single_camp: true), found every model in camp "${camp}"`,
    );
  }
  for (const [reviewer, author] of Object.entries(REVIEWS)) {
    const first = chains[reviewer as ModelRole]?.[0];
    const authorFirst = chains[author]?.[0];
    if (first && authorFirst && first.vendor === authorFirst.vendor)
      problems.push(
        `roles.${reviewer}: expected a first choice by a vendor other than "${first.vendor}" (it writes for ${author}: ${authorFirst.ref}), found ${JSON.stringify(first.ref)}`,
      );
  }
  return problems;
}

/** The config with every secret-bearing value masked, for `newsroom check-config`. */
export function maskedConfig(cfg: LoadedConfig, env: NodeJS.ProcessEnv = process.env): unknown {
  const { chains: _chains, warnings: _warnings, ...rest } = cfg;
  const mask = (name?: string) => (name ? (env[name] ? `${name} (set, ${"*".repeat(8)})` : `${name} (NOT SET)`) : undefined);
  return {
    ...rest,
    providers: Object.fromEntries(Object.entries(cfg.providers).map(([k, p]) => [k, { ...p, api_key_env: mask(p.api_key_env) }])),
    tts_providers: Object.fromEntries(
      Object.entries(cfg.tts_providers).map(([k, p]) => [k, { ...p, api_key_env: mask(p.api_key_env), group_id_env: mask(p.group_id_env) }]),
    ),
  };
}

/** The names defined in a section, for a message about a reference to none of them. */
function known(section: Record<string, unknown>): string {
  return Object.keys(section).join(", ") || "none defined";
}

function abs(base: string, p: string) {
  return isAbsolute(p) ? p : resolve(base, p);
}
