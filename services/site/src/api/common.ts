// What the site's API routes share: one JSON error shape, a per-address rate limit kept in
// memory, and reading a small JSON body however a beacon sent it.
import type { FastifyInstance, FastifyReply } from "fastify";
import fastifyRateLimit from "@fastify/rate-limit";
import type { ZodError } from "zod";

/** Every API error: a sentence, and for a refused body the fields at fault. */
export interface ApiError {
  error: string;
  issues?: string[];
}

export function sendApiError(reply: FastifyReply, status: number, error: string, issues?: string[]): FastifyReply {
  const body: ApiError = issues?.length ? { error, issues } : { error };
  return reply.code(status).type("application/json; charset=utf-8").send(body);
}

/** zod's issues as "field: message" lines. */
export function zodIssues(error: ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`);
}

/**
 * Registers @fastify/rate-limit for the routes that ask for it (route config `rateLimit`).
 * Counts are per address and in this process's memory: nothing about a listener is stored, and a
 * replica forgets them when it stops. Refused before the body is read, with 429 and Retry-After.
 */
export async function registerApiRateLimit(app: FastifyInstance): Promise<void> {
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, message: `too many requests from this address; try again in ${ctx.after}` }),
  });
}

/** Route config: at most `perMinute` requests a minute from one address. */
export function perAddressLimit(perMinute: number): { rateLimit: { max: number; timeWindow: number } } {
  return { rateLimit: { max: perMinute, timeWindow: 60_000 } };
}

/** A JSON body as application/json, or as text/plain (what navigator.sendBeacon sends for a string). */
export function jsonBody(body: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof body !== "string") return { ok: true, value: body };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}
