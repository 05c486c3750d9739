// Fetches one feed URL: conditional GET against the stored validators, a deadline for the
// whole fetch, a body limit counted on the decompressed bytes (so a gzip bomb stops early),
// redirects followed by hand (each hop's scheme and address checked again), and addresses
// checked by the DNS lookup the connection itself uses (see address.ts).
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Readable } from "node:stream";
import type { NewsroomConfig } from "@newsroom/platform/config/schema";
import { checkHost, guardedLookup, RefusedAddressError } from "./address.js";
import type { FeedStateStore } from "./feed-state.js";

export type FetchConfig = NewsroomConfig["fetch"];

export class FeedFetchError extends Error {
  override name = "FeedFetchError";
  constructor(
    readonly feed: string,
    readonly reason: string,
  ) {
    super(`feed ${feed}: ${reason}`);
  }
}

export interface FetchedFeed {
  /** The URL asked for (the key of its feed_state row). */
  url: string;
  /** Where the body came from after redirects. */
  finalUrl: string;
  /** Base for relative links: Content-Location when sent, else the final URL. */
  baseUrl: string;
  body: Buffer;
  contentType?: string;
  /** True when the server said 304 and the stored body was used. */
  notModified: boolean;
}

export interface FetchDeps {
  config: FetchConfig;
  state?: FeedStateStore;
  /** Called as bytes arrive, so a caller can tell the bus it is still working. */
  onActivity?: () => void;
}

const USER_AGENT = "NewsroomScout/0.1 (+https://github.com/newsroom; feed reader)";
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function fetchFeed(url: string, deps: FetchDeps): Promise<FetchedFeed> {
  const { config } = deps;
  const fail = (reason: string) => new FeedFetchError(url, reason);
  const stored = await deps.state?.get(url);
  const deadline = AbortSignal.timeout(config.timeout_ms);

  let current = url;
  for (let hop = 0; ; hop++) {
    const target = parseHttpUrl(current);
    if (!target) throw fail(hop ? `refused: redirect to ${current}: only http and https URLs are fetched` : "refused: only http and https URLs are fetched");
    try {
      await checkHost(target.hostname, config);
    } catch (err) {
      throw fail(describeError(err, config));
    }

    let res: IncomingMessage;
    try {
      res = await send(target, stored, config, deadline);
    } catch (err) {
      throw fail(describeError(err, config));
    }

    if (REDIRECTS.has(res.statusCode ?? 0)) {
      res.resume();
      const location = res.headers.location;
      if (!location) throw fail(`HTTP ${res.statusCode} without a Location header`);
      if (hop >= config.max_redirects) throw fail(`more than ${config.max_redirects} redirects`);
      current = new URL(location, current).href;
      continue;
    }
    if (res.statusCode === 304) {
      res.resume();
      if (!stored?.body) throw fail("HTTP 304 Not Modified, but no earlier body is stored");
      return { url, finalUrl: current, baseUrl: documentBase(current, header(res, "content-location")), body: stored.body, contentType: stored.contentType ?? undefined, notModified: true };
    }
    if (res.statusCode !== 200) {
      res.resume();
      throw fail(`HTTP ${res.statusCode}${res.statusMessage ? ` ${res.statusMessage}` : ""}`);
    }

    let body: Buffer;
    try {
      body = await readLimited(res, config.max_bytes, deadline, deps.onActivity);
    } catch (err) {
      throw fail(describeError(err, config));
    }
    const contentType = header(res, "content-type");
    await deps.state?.put(url, { etag: header(res, "etag") ?? null, lastModified: header(res, "last-modified") ?? null, body, contentType: contentType ?? null });
    return { url, finalUrl: current, baseUrl: documentBase(current, header(res, "content-location")), body, contentType, notModified: false };
  }
}

/** RFC 9110: Content-Location names the resource the body is, and so the base for its relative links. */
export function documentBase(finalUrl: string, contentLocation?: string): string {
  if (!contentLocation) return finalUrl;
  try {
    return new URL(contentLocation, finalUrl).href;
  } catch {
    return finalUrl;
  }
}

function parseHttpUrl(text: string): URL | undefined {
  try {
    const u = new URL(text);
    return u.protocol === "http:" || u.protocol === "https:" ? u : undefined;
  } catch {
    return undefined;
  }
}

function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(target: URL, stored: { etag: string | null; lastModified: string | null } | undefined, config: FetchConfig, signal: AbortSignal): Promise<IncomingMessage> {
  const headers: Record<string, string> = {
    "user-agent": USER_AGENT,
    accept: "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    "accept-encoding": "gzip, deflate, br",
  };
  if (stored?.etag) headers["if-none-match"] = stored.etag;
  if (stored?.lastModified) headers["if-modified-since"] = stored.lastModified;
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(target, { method: "GET", headers, signal, lookup: guardedLookup(config) }, resolve);
    req.once("error", reject);
    req.end();
  });
}

function decompressed(res: IncomingMessage): Readable {
  const encoding = (header(res, "content-encoding") ?? "").trim().toLowerCase();
  if (encoding === "gzip" || encoding === "x-gzip") return res.pipe(createGunzip());
  if (encoding === "deflate") return res.pipe(createInflate());
  if (encoding === "br") return res.pipe(createBrotliDecompress());
  return res;
}

class TooLargeError extends Error {}

async function readLimited(res: IncomingMessage, maxBytes: number, signal: AbortSignal, onActivity?: () => void): Promise<Buffer> {
  const declared = Number(header(res, "content-length"));
  if (!header(res, "content-encoding") && declared > maxBytes) {
    res.destroy();
    throw new TooLargeError(`body larger than ${maxBytes} bytes (Content-Length ${declared})`);
  }
  const stream = decompressed(res);
  const chunks: Buffer[] = [];
  let total = 0;
  const abort = () => stream.destroy(signal.reason);
  signal.addEventListener("abort", abort, { once: true });
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        res.destroy();
        stream.destroy();
        throw new TooLargeError(`body larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
      onActivity?.();
    }
  } finally {
    signal.removeEventListener("abort", abort);
  }
  return Buffer.concat(chunks);
}

function describeError(err: unknown, config: FetchConfig): string {
  const e = err as NodeJS.ErrnoException & { cause?: unknown };
  if (e instanceof RefusedAddressError) {
    const hint = e.range === "loopback" ? " (set fetch.allow_loopback to allow)" : describeRange(e.range) === "private" ? " (set fetch.allow_private to allow)" : "";
    return e.message + hint;
  }
  if (e instanceof TooLargeError) return e.message;
  if (e?.name === "TimeoutError" || e?.name === "AbortError" || (e?.cause as Error | undefined)?.name === "TimeoutError") return `timed out after ${config.timeout_ms} ms`;
  if (e?.code === "ENOTFOUND" || e?.code === "EAI_AGAIN") return `cannot resolve host (${e.code})`;
  if (e?.code === "ECONNREFUSED") return "connection refused";
  if (e?.code === "ECONNRESET") return "connection reset by the server";
  if (e?.code === "Z_DATA_ERROR" || e?.code === "ERR_PADDING_1") return "body is not valid compressed data";
  return e?.message || String(err);
}

function describeRange(range: string): string {
  return range === "private" || range === "uniqueLocal" || range === "carrierGradeNat" ? "private" : range;
}
