// Feed bytes -> text, choosing the encoding the way XML parsers and feedparser do:
// byte order mark, then the HTTP Content-Type charset, then the XML declaration (found in the
// UTF-16/32 family the first bytes show), then UTF-8; bytes that are not valid UTF-8 with no
// declared encoding are read as windows-1252 (ISO-8859-1's superset), flagged as bozo.
import iconv from "iconv-lite";

export interface Decoded {
  text: string;
  /** Canonical name of the encoding used, lower case ("utf-8", "gb18030", "iso-8859-1"). */
  encoding: string;
  /** True when the encoding had to be guessed or overridden, or the media type is not XML. */
  bozo: boolean;
  errors: string[];
}

export interface DecodeOptions {
  /** The HTTP Content-Type header, when the feed came over HTTP. */
  contentType?: string;
}

// GB2312 and GBK are subsets of GB18030: decoding with the superset loses nothing (and real
// "GB2312" feeds carry GBK characters). ISO-8859-1 and ASCII are read as windows-1252 so
// Windows quote marks in 0x80-0x9F come out right, as browsers do.
const SUPERSETS: Record<string, string> = {
  gb2312: "gb18030", gbk: "gb18030", "x-gbk": "gb18030", cp936: "gb18030", "gb_2312-80": "gb18030", euc_cn: "gb18030", "euc-cn": "gb18030",
  "iso-8859-1": "windows-1252", "iso8859-1": "windows-1252", latin1: "windows-1252", "us-ascii": "windows-1252", ascii: "windows-1252",
};

/** Names reported for an encoding (feedparser reports GB2312 feeds as gb18030). */
const REPORTED: Record<string, string> = { latin1: "iso-8859-1", "iso8859-1": "iso-8859-1", ascii: "us-ascii", gb2312: "gb18030", gbk: "gb18030", "x-gbk": "gb18030", cp936: "gb18030", utf8: "utf-8" };

const XML_MEDIA = /^(?:application|text)\/(?:[\w.+-]+\+)?(?:xml|json)$|^application\/(?:rss|atom|rdf|feed)\+?(?:xml|json)?$|^application\/octet-stream$/i;

export function decodeFeed(bytes: Uint8Array, opts: DecodeOptions = {}): Decoded {
  const errors: string[] = [];
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { mediaType, charset } = parseContentType(opts.contentType);
  if (mediaType && !XML_MEDIA.test(mediaType)) errors.push(`served as ${mediaType}, not an XML or JSON media type`);

  const bom = sniffBom(buf);
  const family = bom?.encoding ?? sniffFamily(buf);
  const declared = readXmlDeclaration(buf, family);

  let chosen: string | undefined;
  let skip = 0;
  if (bom) {
    chosen = bom.encoding;
    skip = bom.length;
  } else if (charset) {
    if (iconv.encodingExists(charset)) chosen = charset;
    else errors.push(`unknown charset "${charset}" in Content-Type`);
  }
  if (!chosen && declared) {
    const wide = /^utf-?(16|32)/.exec(declared);
    if (wide && family === "utf-8") errors.push(`declared ${declared} but the bytes are ASCII-compatible; declaration ignored`);
    else if (wide && family.startsWith(`utf-${wide[1]}`)) chosen = family; // byte order from the first bytes
    else if (iconv.encodingExists(declared)) chosen = declared;
    else errors.push(`unknown encoding "${declared}" in the XML declaration`);
  }
  if (!chosen && family !== "utf-8") chosen = family;

  const body = buf.subarray(skip);
  if (!chosen || normalize(chosen) === "utf-8") {
    if (isUtf8(body)) return result(demoronize(body.toString("utf8")), "utf-8", errors);
    errors.push(
      chosen || declared
        ? "declared utf-8 but the bytes are not valid UTF-8; read as windows-1252"
        : "no encoding declared and the bytes are not valid UTF-8; read as windows-1252",
    );
    return result(iconv.decode(body, "windows-1252"), "windows-1252", errors, true);
  }
  const name = normalize(chosen);
  const text = iconv.decode(body, SUPERSETS[name] ?? name, { stripBOM: true });
  return result(demoronize(text), REPORTED[name] ?? name, errors);
}

function result(text: string, encoding: string, errors: string[], forceBozo = false): Decoded {
  return { text, encoding, bozo: forceBozo || errors.length > 0, errors };
}

function normalize(label: string): string {
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, "");
  return l === "utf8" ? "utf-8" : l;
}

export function parseContentType(header: string | undefined): { mediaType?: string; charset?: string } {
  if (!header) return {};
  const [type, ...params] = header.split(";");
  let charset: string | undefined;
  for (const p of params) {
    const m = /^\s*charset\s*=\s*["']?([^"';\s]+)["']?\s*$/i.exec(p);
    if (m) charset = normalize(m[1]);
  }
  return { mediaType: type.trim().toLowerCase() || undefined, charset };
}

function sniffBom(b: Buffer): { encoding: string; length: number } | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: "utf-8", length: 3 };
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return { encoding: "utf-32be", length: 4 };
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return { encoding: "utf-32le", length: 4 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: "utf-16be", length: 2 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: "utf-16le", length: 2 };
  return undefined;
}

/** XML 1.0 appendix F: the first bytes of "<?xml" tell the code unit size and byte order. */
function sniffFamily(b: Buffer): string {
  const head = b.subarray(0, 4).toString("hex");
  if (head === "0000003c") return "utf-32be";
  if (head === "3c000000") return "utf-32le";
  if (head === "003c003f" || head.startsWith("003c")) return "utf-16be";
  if (head === "3c003f00" || head.startsWith("3c00")) return "utf-16le";
  return "utf-8";
}

function readXmlDeclaration(b: Buffer, family: string): string | undefined {
  const head = family === "utf-8" ? b.subarray(0, 512).toString("latin1") : iconv.decode(b.subarray(0, 2048), family);
  const m = /^(?:\uFEFF)?<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/.exec(head);
  return m ? normalize(m[1]) : undefined;
}

function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

// Windows-1252 punctuation that was pasted into UTF-8 as C1 control characters (U+0080..U+009F):
// no feed means a control character there, every feed means the quote mark.
const C1_TO_1252 = iconv.decode(Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i)), "windows-1252");

function demoronize(text: string): string {
  return /[\u0080-\u009f]/.test(text)
    ? text.replace(/[\u0080-\u009f]/g, (c) => {
        const mapped = C1_TO_1252[c.charCodeAt(0) - 0x80];
        return mapped && mapped.charCodeAt(0) > 0x9f ? mapped : c;
      })
    : text;
}
