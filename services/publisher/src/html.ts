// HTML building with escaping by default: every value interpolated into `html\`...\`` is escaped
// (text and quoted attributes alike) unless it is already SafeHtml. Feed text can never become
// markup, and links are only ever http(s).
import { createHash } from "node:crypto";

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new SafeHtml(out);
}

function render(v: unknown): string {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join("");
  if (v === null || v === undefined || v === false) return "";
  return escapeHtml(String(v));
}

/** The URL when it is an absolute http(s) URL; otherwise null (javascript:, data:, relative...). */
/**
 * A table that scrolls inside its own box on a narrow screen, so the page never widens and no
 * cell breaks its words letter by letter; a named, focusable region, so keyboards can scroll it.
 */
export function scrollingTable(label: string, table: SafeHtml): SafeHtml {
  return html`<div class="table-scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}

export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url.trim());
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : null;
  } catch {
    return null;
  }
}

/** A link to an outside page, or the plain text when the URL is not http(s). */
export function outsideLink(url: string | null | undefined, text: string): SafeHtml {
  const href = safeHref(url);
  return href ? html`<a href="${href}" rel="noopener nofollow">${text}</a>` : html`${text}`;
}

/** CSP source for an inline script or style block: its SHA-256. */
export function cspHash(content: string): string {
  return `'sha256-${createHash("sha256").update(content, "utf8").digest("base64")}'`;
}

/**
 * The pages' Content-Security-Policy: only the script and style given here (by hash) run, so
 * nothing from a feed can; the player may send its beacons and reports to the same origin.
 * One source for the page's <meta> and the site's response header.
 */
export function contentSecurityPolicy(opts: { script?: string; style: string }): Record<string, string[]> {
  return {
    "default-src": ["'none'"],
    "script-src": [opts.script ? cspHash(opts.script) : "'none'"],
    "style-src": [cspHash(opts.style)],
    "media-src": ["'self'"],
    "img-src": ["'self'"],
    "connect-src": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "object-src": ["'none'"],
  };
}

export function cspMeta(opts: { script?: string; style: string }): SafeHtml {
  const policy = Object.entries(contentSecurityPolicy(opts))
    .map(([k, v]) => `${k} ${v.join(" ")}`)
    .join("; ");
  return html`<meta http-equiv="Content-Security-Policy" content="${policy}">`;
}

export function formatClock(ms: number): string {
  const t = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  return h ? `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}` : `${m}:${String(s).padStart(2, "0")}`;
}
