// The listener site: serves the editions folder as podcast apps and browsers need it (byte
// ranges, validators, types, gzip for text) behind a strict CSP. It keeps no state of its own,
// so any number of replicas can run behind one Service.
import { resolve, sep } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import fastifyStatic from "@fastify/static";
import fastifyCompress from "@fastify/compress";
import fastifyHelmet from "@fastify/helmet";
import type { Db } from "@newsroom/platform/db/connect";
import type { Logger } from "@newsroom/platform/log";
import { contentSecurityPolicy } from "@newsroom/publisher/html";
import { EDITION_FILES, FEEDS_DIR } from "@newsroom/publisher/naming";
import { PAGE_STYLE, PLAYER_SCRIPT } from "@newsroom/publisher/page-assets";
import { registerApiRateLimit } from "./api/common.js";
import { registerListensApi } from "./api/listens.js";
import { downloadCounter, isFromFirstByte } from "./listens/downloads.js";
import { editionTimesReader, type EditionTimesReader } from "./listens/edition-times.js";
import { registerStatsPage } from "./stats-page.js";
import { reportsApi } from "./api/reports.js";
import { databaseOutage, registerHealth, sendDatabaseUnavailable, type Away } from "./readiness.js";

export interface SiteOptions {
  /** The publisher's output folder (OUTPUT_DIR). */
  root: string;
  log?: Logger;
  /** Proxies whose X-Forwarded-For gives the client's address (fastify's trustProxy); default: loopback and private networks. */
  trustProxy?: boolean | string;
  /** The dependencies away right now (ServiceDeps.away); /readyz and the API's 503 follow it. Default: none. */
  away?: Away;
  /** The listener API (beacons, stats, downloads, reports): the database its outbox rows and figures live in. */
  listens?: {
    db: Db;
    /** Wakes the outbox relay after a beacon's row is committed. */
    nudgeOutbox(): void;
    /** API requests a minute per address, per route. */
    perMinute: number;
    /** The same reader the consumer uses, so both see an edition the same way. */
    editionTimes?: EditionTimesReader;
  };
}

/** Types the generic MIME table gets wrong or leaves generic for podcast files. */
const TYPES: Record<string, string> = {
  [EDITION_FILES.chapters]: "application/json+chapters; charset=utf-8",
  [EDITION_FILES.transcript]: "text/vtt; charset=utf-8",
  [EDITION_FILES.mp3]: "audio/mpeg",
};

export async function buildSite(opts: SiteOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 4096, trustProxy: opts.trustProxy ?? "loopback,linklocal,uniquelocal" });
  app.addHook("onResponse", async (req, reply) => {
    if (reply.statusCode >= 500) opts.log?.warn("request failed", { method: req.method, url: req.url, status: reply.statusCode });
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      // frame-ancestors works only as a header (a <meta> policy cannot carry it).
      directives: { ...contentSecurityPolicy({ script: PLAYER_SCRIPT, style: PAGE_STYLE }), "frame-ancestors": ["'none'"] },
    },
    // The files are public and podcast players on other origins fetch them.
    crossOriginResourcePolicy: { policy: "cross-origin" },
    referrerPolicy: { policy: "no-referrer" },
  });
  // Text (pages, feed, captions, JSON) is gzipped; MP3 is not compressible and goes as bytes.
  await app.register(fastifyCompress, {
    encodings: ["gzip", "deflate"],
    threshold: 512,
    customTypes: /^(text\/|application\/(json|json\+chapters|rss\+xml|xml)\b)/,
  });
  await app.register(fastifyStatic, {
    root: resolve(opts.root),
    index: ["index.html"],
    etag: true,
    lastModified: true,
    acceptRanges: true,
    dotfiles: "deny",
    // A new edition rewrites feed.xml and index pages; validators make revalidation cheap.
    cacheControl: false,
    setHeaders(res, path) {
      const name = path.slice(path.lastIndexOf("/") + 1);
      if (TYPES[name]) res.header("content-type", TYPES[name]);
      else if (path.endsWith(".xml") && path.includes(`${sep}${FEEDS_DIR}${sep}`)) res.header("content-type", "application/rss+xml; charset=utf-8");
      res.header("cache-control", name === EDITION_FILES.mp3 ? "public, max-age=86400" : "public, max-age=60, must-revalidate");
    },
  });

  const away = opts.away ?? (() => []);
  registerHealth(app, away);
  // Once for every API route (listens, reports): each route names its own limit.
  await registerApiRateLimit(app);
  if (opts.listens) registerListens(app, opts.root, opts.listens, away, opts.log);

  app.setNotFoundHandler((req, reply) => {
    // Browsers ask every page's origin for /favicon.ico: no icon is "no content", not an error in the console.
    if (req.url.split("?")[0] === "/favicon.ico") return reply.code(204).send();
    return reply.code(404).type("text/plain; charset=utf-8").send(`not found: ${req.url.split("?")[0]}\n`);
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    if (databaseOutage(err)) {
      opts.log?.warn("database unavailable", { url: req.url, error: err.message });
      return sendDatabaseUnavailable(reply);
    }
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) opts.log?.error("request failed", { url: req.url, error: err.message });
    reply.code(status).type("application/json").send({ error: status >= 500 ? "internal error" : err.message });
  });
  // After the error handler, so the API's scope inherits it (bad JSON, too large, rate limited).
  if (opts.listens) await app.register(reportsApi, { db: opts.listens.db, root: resolve(opts.root), nudgeOutbox: opts.listens.nudgeOutbox });
  return app;
}

function registerListens(app: FastifyInstance, root: string, listens: NonNullable<SiteOptions["listens"]>, away: Away, log?: Logger): void {
  const editionTimes = listens.editionTimes ?? editionTimesReader(root);
  registerListensApi(app, { ...listens, editionTimes });
  registerStatsPage(app, { ...listens, editionTimes });

  // Downloads: an MP3 request from the first byte that was served; counted after the response.
  const countDownload = downloadCounter({ db: listens.db, nudgeOutbox: listens.nudgeOutbox, log });
  const mp3 = new RegExp(`^/([^/?]+)/${EDITION_FILES.mp3.replace(".", "\\.")}(\\?|$)`);
  app.addHook("onResponse", async (req, reply) => {
    const editionId = mp3.exec(req.url)?.[1];
    if (!editionId || (reply.statusCode !== 200 && reply.statusCode !== 206) || !isFromFirstByte(req.method, req.headers.range)) return;
    // Not counted while the database is away (one warning per MP3 request would flood the log).
    if (away().includes("database")) return;
    await countDownload({ editionId: decodeURIComponent(editionId), address: req.ip, userAgent: req.headers["user-agent"] ?? "" }).catch((err: Error) =>
      log?.warn("download not counted", { editionId, error: err.message }),
    );
  });
}
