// Hostile XML is refused before any parser sees it. The DOCTYPE is the only place entity
// bombs ("billion laughs"), external entities (XXE: local files, internal URLs) and parameter
// entities live, so it is read here, checked, and removed. Internal entities that pass the
// limits are expanded in place (feeds such as `<!ENTITY id "tag:example.com,">` use them).

export class HostileXmlError extends Error {
  override name = "HostileXmlError";
}

export interface GuardLimits {
  /** Most characters one entity may expand to. */
  maxEntityChars: number;
  /** Most characters all entity references in the document may add together. */
  maxExpansionChars: number;
  maxEntities: number;
}

export const DEFAULT_GUARD_LIMITS: GuardLimits = { maxEntityChars: 10_000, maxExpansionChars: 1_000_000, maxEntities: 200 };

// The prolog: optional BOM, XML declaration, processing instructions, comments, white space.
const PROLOG = /^(?:\uFEFF)?(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/;
const DOCTYPE = /^<!DOCTYPE\b[^[>]*(?:\[([\s\S]*?)\]\s*)?>/i;
const ENTITY_DECL = /<!ENTITY\s+(%\s+)?([^\s"']+)\s+(?:"([^"]*)"|'([^']*)'|((?:SYSTEM|PUBLIC)\b[^>]*))\s*>/g;
const PREDEFINED = new Set(["lt", "gt", "amp", "quot", "apos"]);

/** Returns the document without its DOCTYPE and with internal entities expanded; throws HostileXmlError. */
export function guardXml(text: string, limits: GuardLimits = DEFAULT_GUARD_LIMITS): string {
  const prolog = PROLOG.exec(text)?.[0] ?? "";
  const doctype = DOCTYPE.exec(text.slice(prolog.length));
  if (!doctype) {
    // A DOCTYPE further on is either inside content (CDATA, text) or hostile placement after the root;
    // either way no parser downstream expands entities from it.
    return text;
  }
  const subset = doctype[1] ?? "";
  const raw = new Map<string, string>();
  const external = new Set<string>();
  for (const m of subset.matchAll(ENTITY_DECL)) {
    const [, percent, name, dq, sq, ext] = m;
    // Parameter entities only act inside the DTD, which is dropped here: never expanded, never loaded.
    if (percent) continue;
    if (ext !== undefined) {
      external.add(name);
      continue;
    }
    if (raw.size >= limits.maxEntities) throw new HostileXmlError(`more than ${limits.maxEntities} entity declarations`);
    raw.set(name, dq ?? sq ?? "");
  }
  const body = text.slice(prolog.length + doctype[0].length);
  const rest = prolog + body;
  for (const name of external)
    if (body.includes(`&${name};`)) throw new HostileXmlError(`external entity "&${name};" is not accepted: it would read a file or URL`);
  if (!raw.size) return rest;

  const expanded = new Map<string, string>();
  const expand = (name: string, stack: string[]): string => {
    const done = expanded.get(name);
    if (done !== undefined) return done;
    if (stack.includes(name)) throw new HostileXmlError(`entity "${name}" refers to itself (${[...stack, name].join(" -> ")})`);
    let length = 0;
    const value = raw.get(name)!.replace(/&([^\s&;#]+);/g, (ref, inner: string) => {
      const part = raw.has(inner) ? expand(inner, [...stack, name]) : ref;
      length += part.length;
      if (length > limits.maxEntityChars)
        throw new HostileXmlError(`entity bomb: "&${name};" expands past ${limits.maxEntityChars} characters`);
      return part;
    });
    if (value.length > limits.maxEntityChars) throw new HostileXmlError(`entity bomb: "&${name};" expands past ${limits.maxEntityChars} characters`);
    expanded.set(name, value);
    return value;
  };

  let added = 0;
  return rest.replace(/&([^\s&;#]+);/g, (ref, name: string) => {
    if (PREDEFINED.has(name) || !raw.has(name)) return ref;
    const value = expand(name, []);
    added += value.length;
    if (added > limits.maxExpansionChars)
      throw new HostileXmlError(`entity bomb: entity references expand past ${limits.maxExpansionChars} characters`);
    return value;
  });
}
