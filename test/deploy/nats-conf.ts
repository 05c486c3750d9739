// Reads the NATS server config format (the subset nats.conf uses) and matches subjects against
// permissions, so the checks can ask "may user X publish to subject Y?" without a server.
// Format: `key: value`, `key = value` or `key value`; blocks `{}`; arrays `[]` with items
// separated by commas or new lines; "quoted" or bare strings; `$VAR` references kept as text;
// comments with # or //.

export type ConfValue = string | ConfValue[] | { [k: string]: ConfValue };
export type ConfMap = { [k: string]: ConfValue };

type Token = { t: "{" | "}" | "[" | "]" | "sep" | "end" } | { t: "str"; v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "\n" || c === "," || c === ";") {
      out.push({ t: "end" });
      i++;
    } else if (/\s/.test(c)) i++;
    else if ("{}[]".includes(c)) {
      out.push({ t: c as "{" });
      i++;
    } else if (c === ":" || c === "=") {
      out.push({ t: "sep" });
      i++;
    } else if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) throw new Error(`nats.conf: unterminated string at offset ${i}`);
      out.push({ t: "str", v: text.slice(i + 1, close) });
      i = close + 1;
    } else {
      // Bare token; a colon ends it only when it separates a key from its value ("key: v", "key:{").
      let j = i;
      while (j < text.length && !/[\s{}[\],;=#]/.test(text[j]) && !(text[j] === ":" && /[\s{["']|^$/.test(text[j + 1] ?? ""))) j++;
      out.push({ t: "str", v: text.slice(i, j) });
      i = j;
    }
  }
  return out;
}

export function parseNatsConf(text: string): ConfMap {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const skipEnds = () => {
    while (peek()?.t === "end") at++;
  };
  const value = (): ConfValue => {
    skipEnds();
    const tok = tokens[at++];
    if (!tok) throw new Error("nats.conf: value expected at end of file");
    if (tok.t === "{") return map("}");
    if (tok.t === "[") return array();
    if (tok.t === "str") return tok.v;
    throw new Error(`nats.conf: value expected, found ${tok.t}`);
  };
  const array = (): ConfValue[] => {
    const items: ConfValue[] = [];
    for (;;) {
      skipEnds();
      if (peek()?.t === "]") {
        at++;
        return items;
      }
      items.push(value());
    }
  };
  const map = (close: "}" | null): ConfMap => {
    const out: ConfMap = {};
    for (;;) {
      skipEnds();
      const tok = peek();
      if (!tok) {
        if (close) throw new Error("nats.conf: missing }");
        return out;
      }
      if (tok.t === close) {
        at++;
        return out;
      }
      if (tok.t !== "str") throw new Error(`nats.conf: key expected, found ${tok.t}`);
      at++;
      if (peek()?.t === "sep") at++;
      out[tok.v] = value();
    }
  };
  return map(null);
}

export interface NatsUser {
  user: string;
  password: string;
  publish: string[];
  subscribe: string[];
}

/** The users of one account with their allowed subjects (`publish: [...]` is short for allow). */
export function accountUsers(conf: ConfMap, account: string): NatsUser[] {
  const accounts = conf.accounts as ConfMap | undefined;
  const acc = accounts?.[account] as ConfMap | undefined;
  if (!acc) throw new Error(`nats.conf: no account ${account} (have: ${Object.keys(accounts ?? {}).join(", ") || "none"})`);
  const allow = (p: ConfValue | undefined): string[] =>
    p === undefined ? [] : Array.isArray(p) ? (p as string[]) : (((p as ConfMap).allow as string[] | undefined) ?? []);
  return ((acc.users as ConfMap[] | undefined) ?? []).map((u) => {
    const perms = (u.permissions ?? {}) as ConfMap;
    return { user: u.user as string, password: u.password as string, publish: allow(perms.publish), subscribe: allow(perms.subscribe) };
  });
}

/** NATS subject matching: `*` is one token, `>` one or more trailing tokens. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return s.length > i;
    if (i >= s.length || (p[i] !== "*" && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

export function allowed(patterns: string[], subject: string): boolean {
  return patterns.some((p) => subjectMatches(p, subject));
}
