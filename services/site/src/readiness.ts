// Liveness and readiness of a site replica, from the dependency watch every service shares
// (platform/src/service/dependencies.ts): /healthz says the process answers, /readyz says whether
// the database and NATS are there too. While the database is away the files are still served
// (listening does not need it); only what reads or writes the database answers 503 with a reason.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { asSystemFailure } from "@newsroom/platform/runner/system-failure";
import { sendApiError } from "./api/common.js";

/** Names of the dependencies away right now ("database", "NATS"); none on the embedded default. */
export type Away = () => string[];

/** Seconds a client is told to wait before trying an API route again during an outage. */
const RETRY_AFTER_S = 10;

/** The routes that use the database: the listener API and the stats page. Files never do. */
export function usesDatabase(req: FastifyRequest): boolean {
  const route = req.routeOptions.url ?? "";
  return route.startsWith("/api/") || route === "/:id/stats";
}

export function registerHealth(app: FastifyInstance, away: Away): void {
  app.get("/healthz", async () => ({ ok: true }));
  app.get("/readyz", async (_req, reply) => {
    const missing = away();
    reply.header("cache-control", "no-store");
    if (!missing.length) return { ready: true };
    return reply.code(503).send({ ready: false, away: missing, error: `${missing.join(" and ")} unavailable` });
  });

  // Refused before the body is read: a beacon or report cannot be kept without the database.
  app.addHook("onRequest", async (req, reply) => {
    if (usesDatabase(req) && away().includes("database")) return sendDatabaseUnavailable(reply);
  });
}

/** 503 with a JSON reason and Retry-After: what every database route answers during an outage. */
export function sendDatabaseUnavailable(reply: FastifyReply): FastifyReply {
  reply.header("retry-after", String(RETRY_AFTER_S));
  return sendApiError(reply, 503, "the database is unavailable; listening is not affected, try again later");
}

/** A database outage the watch has not seen yet (it checks every few seconds): 503, not 500. */
export function databaseOutage(err: unknown): boolean {
  return asSystemFailure(err) !== undefined;
}
