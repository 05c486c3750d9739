// One small logger for every service: plain lines for people, JSON lines with LOG_FORMAT=json.
// Every registered secret is replaced before anything is written.

export type Level = "debug" | "info" | "warn" | "error";
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(name: string): Logger;
}

const secrets = new Set<string>();
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Values (API keys) that must never be printed; registered when config reads them from the environment. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join("***");
  return out;
}

export function createLogger(
  name: string,
  sink: (line: string) => void = (l) => process.stderr.write(l + "\n"),
  env: NodeJS.ProcessEnv = process.env,
): Logger {
  const min = ORDER[(env.LOG_LEVEL as Level) ?? "info"] ?? ORDER.info;
  const json = env.LOG_FORMAT === "json";
  const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const line = json
      ? JSON.stringify({ time: new Date().toISOString(), level, name, msg, ...fields })
      : `${new Date().toISOString().slice(11, 23)} ${level.padEnd(5)} ${name}: ${msg}${fields && Object.keys(fields).length ? " " + JSON.stringify(fields) : ""}`;
    sink(redact(line));
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (n) => createLogger(`${name}.${n}`, sink, env),
  };
}
