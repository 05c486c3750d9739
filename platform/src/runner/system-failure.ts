// Tells "the database is down or not migrated" apart from "this message is bad": the first is
// retried in place with backoff and never dead-lettered, so an outage loses nothing.
import { RetryLaterError } from "../bus/types.js";

/** Postgres SQLSTATEs that say the database, not the event, is at fault. */
const SYSTEM_SQLSTATES: Record<string, string> = {
  "42P01": "a table is missing (run `npx newsroom migrate`)",
  "3D000": "the database does not exist",
  "53300": "too many connections",
  "57P01": "the server is shutting down",
  "57P02": "the server crashed",
  "57P03": "the server is starting up",
  "40001": "serialisation conflict",
  "40P01": "deadlock",
};
const NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);
const MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /connection error/i, /pglite is closed/i, /cannot reach postgres/i];

/** A RetryLaterError with a clear reason when `err` is a database outage, otherwise undefined. */
export function asSystemFailure(err: unknown): RetryLaterError | undefined {
  if (err instanceof RetryLaterError) return err;
  const e = err as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof e?.code === "string" ? e.code : "";
  const message = typeof e?.message === "string" ? e.message : String(err);
  const what =
    SYSTEM_SQLSTATES[code] ??
    (code.startsWith("08") ? "the database connection failed" : undefined) ??
    (NODE_CODES.has(code) ? "the database is unreachable" : undefined) ??
    (e?.name === "DatabaseUnavailableError" || MESSAGES.some((m) => m.test(message)) ? "the database is unavailable" : undefined);
  return what ? new RetryLaterError(`database not ready: ${what}: ${message}`) : undefined;
}
