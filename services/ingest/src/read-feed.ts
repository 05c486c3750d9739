// Bytes as fetched (or read from a file) -> parsed feed: decode, then parse.
import { decodeFeed } from "./decode.js";
import { parseFeedText, type ParsedFeed, type ParseOptions } from "./parse.js";

export interface ReadOptions extends ParseOptions {
  contentType?: string;
}

export interface ReadFeed extends ParsedFeed {
  encoding: string;
}

export function readFeed(bytes: Uint8Array, opts: ReadOptions = {}): ReadFeed {
  const decoded = decodeFeed(bytes, { contentType: opts.contentType });
  const parsed = parseFeedText(decoded.text, opts);
  return {
    ...parsed,
    encoding: decoded.encoding,
    bozo: parsed.bozo || decoded.bozo,
    errors: [...decoded.errors.map((e) => `encoding: ${e}`), ...parsed.errors],
  };
}
