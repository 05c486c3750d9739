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
import { reportsApi } from "./api/reports.js";

export interface SiteOptions {
  /** The publisher's output folder (OUTPUT_DIR). */
  root: string;
  log?: Logger;
  /** The listener API (reports) is served when the site has the database; the outbox relay is nudged after each commit. */
  db?: Db;
  nudgeOutbox?: () => void;
}

/** Types the generic MIME table gets wrong or leaves generic for podcast files. */
const TYPES: Record<string, string> = {
  [EDITION_FILES.chapters]: "application/json+chapters; charset=utf-8",
  [EDITION_FILES.transcript]: "text/vtt; charset=utf-8",
  [EDITION_FILES.mp3]: "audio/mpeg",
};

export async function buildSite(opts: SiteOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 4096, trustProxy: true });
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

  app.get("/healthz", async () => ({ ok: true }));
  app.setNotFoundHandler((req, reply) => reply.code(404).type("text/plain; charset=utf-8").send(`not found: ${req.url.split("?")[0]}\n`));
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) opts.log?.error("request failed", { url: req.url, error: err.message });
    reply.code(status).type("application/json").send({ error: status >= 500 ? "internal error" : err.message });
  });
  // After the error handler, so the API's scope inherits it (bad JSON, too large, rate limited).
  if (opts.db) await app.register(reportsApi, { db: opts.db, root: resolve(opts.root), nudgeOutbox: opts.nudgeOutbox ?? (() => {}) });
  return app;
}
