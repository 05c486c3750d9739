// A real HTTP server on 127.0.0.1 that serves feeds the way publishers do: ETag and
// Last-Modified with 304 Not Modified, gzip, redirects, charsets in Content-Type,
// Content-Location, slow answers and endless bodies. Every request is recorded, headers
// included, so tests can check what the scout sent.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gzipSync } from "node:zlib";

export type Route =
  | {
      kind: "feed";
      body: string | Buffer;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      gzip?: boolean;
      /** Wait before answering (a slow server). */
      delayMs?: number;
      headers?: Record<string, string>;
    }
  | { kind: "redirect"; to: string; status?: 301 | 302 | 303 | 307 | 308 }
  | { kind: "status"; status: number; body?: string }
  /** Streams `chunk` without end (or up to `bytes`), with or without an honest Content-Length. */
  | { kind: "endless"; bytes?: number; declareLength?: boolean; gzip?: boolean }
  /** Accepts the request and never answers. */
  | { kind: "hang" }
  /** Answers 200 at once, then drips one byte every `everyMs` without end (a slow-drip server). */
  | { kind: "drip"; everyMs: number };

export interface RecordedRequest {
  path: string;
  headers: Record<string, string>;
  status: number;
}

export interface FeedServer {
  /** http://127.0.0.1:PORT */
  url: string;
  route(path: string, route: Route): void;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const FILLER = Buffer.from(`<item><title>filler</title><description>${"x".repeat(1000)}</description></item>\n`);

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Route>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const route = routes.get(path);
    const record = (status: number) =>
      requests.push({ path, status, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])) });
    if (!route) {
      record(404);
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    void answer(route, req, res, record);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    route: (path, r) => void routes.set(path, r),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function answer(route: Route, req: IncomingMessage, res: ServerResponse, record: (status: number) => void): Promise<void> {
  switch (route.kind) {
    case "redirect":
      record(route.status ?? 302);
      res.writeHead(route.status ?? 302, { location: route.to }).end();
      return;
    case "status":
      record(route.status);
      res.writeHead(route.status, { "content-type": "text/plain" }).end(route.body ?? "");
      return;
    case "hang":
      record(0);
      return;
    case "endless":
      return endless(route, res, record);
    case "drip": {
      record(200);
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>drip</title>');
      const timer = setInterval(() => res.write(" "), route.everyMs);
      res.on("close", () => clearInterval(timer));
      return;
    }
    case "feed": {
      if (route.delayMs) await new Promise((r) => setTimeout(r, route.delayMs));
      const validators: Record<string, string> = {};
      if (route.etag) validators.etag = route.etag;
      if (route.lastModified) validators["last-modified"] = route.lastModified;
      const fresh =
        (route.etag && req.headers["if-none-match"] === route.etag) ||
        (!req.headers["if-none-match"] && route.lastModified && req.headers["if-modified-since"] === route.lastModified);
      if (fresh) {
        record(304);
        res.writeHead(304, validators).end();
        return;
      }
      let body = Buffer.isBuffer(route.body) ? route.body : Buffer.from(route.body, "utf8");
      const headers: Record<string, string> = { "content-type": route.contentType ?? "application/rss+xml; charset=utf-8", ...validators, ...route.headers };
      if (route.gzip) {
        body = gzipSync(body);
        headers["content-encoding"] = "gzip";
      }
      headers["content-length"] = String(body.length);
      record(200);
      if (!res.destroyed) res.writeHead(200, headers).end(body);
      return;
    }
  }
}

function endless(route: Extract<Route, { kind: "endless" }>, res: ServerResponse, record: (status: number) => void): void {
  record(200);
  const limit = route.bytes ?? Number.POSITIVE_INFINITY;
  const headers: Record<string, string> = { "content-type": "application/rss+xml" };
  if (route.declareLength && Number.isFinite(limit)) headers["content-length"] = String(limit);
  if (route.gzip) {
    // A small compressed body that inflates to `limit` bytes: a decompression bomb.
    const plain = Buffer.alloc(Number.isFinite(limit) ? limit : 50_000_000, 0x20);
    const packed = gzipSync(plain);
    res.writeHead(200, { ...headers, "content-encoding": "gzip", "content-length": String(packed.length) }).end(packed);
    return;
  }
  res.writeHead(200, headers);
  res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>endless</title>\n');
  let sent = 0;
  const pump = () => {
    while (sent < limit && !res.destroyed) {
      sent += FILLER.length;
      if (!res.write(FILLER)) return void res.once("drain", pump);
    }
    if (!res.destroyed) res.end("</channel></rss>");
  };
  res.on("close", () => (sent = limit));
  pump();
}
