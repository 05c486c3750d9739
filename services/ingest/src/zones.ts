// Time zones in feed dates: numeric offsets, the RFC 822 / 2822 names and the few North
// American and European abbreviations feeds really use, IANA names, and wall-clock times in
// a configured IANA zone (zone-less dates such as news.qq.com's "2018-09-18 14:38:10").

/** Minutes east of UTC. RFC 822 names plus abbreviations seen in feeds (after feedparser's table). */
const NAMED_OFFSETS: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0,
  edt: -4 * 60, est: -5 * 60, cdt: -5 * 60, cst: -6 * 60, mdt: -6 * 60, mst: -7 * 60, pdt: -7 * 60, pst: -8 * 60,
  adt: -3 * 60, ast: -4 * 60, at: -4 * 60, et: -5 * 60, ct: -6 * 60, mt: -7 * 60, pt: -8 * 60,
  akst: -9 * 60, akdt: -8 * 60, hst: -10 * 60,
  bst: 60, ist: 5 * 60 + 30, cet: 60, met: 60, cest: 2 * 60, mest: 2 * 60, eet: 2 * 60, eest: 3 * 60,
  msk: 3 * 60, jst: 9 * 60, kst: 9 * 60, hkt: 8 * 60, sgt: 8 * 60, aest: 10 * 60, aedt: 11 * 60,
};

/** Military single letters as the military uses them (A = +1 ... M = +12, N = -1 ... Y = -12, Z = 0);
 * RFC 822 printed the signs reversed, RFC 2822 gave up on them; the military meaning is the one senders mean. */
function militaryOffset(letter: string): number | undefined {
  const c = letter.toUpperCase().charCodeAt(0);
  if (letter.length !== 1 || c < 65 || c > 90 || c === 74 /* J is local time */) return undefined;
  if (c === 90) return 0;
  if (c <= 73) return (c - 64) * 60; // A..I = +1..+9
  if (c <= 77) return (c - 65) * 60; // K..M = +10..+12
  return -(c - 77) * 60; // N..Y = -1..-12
}

export type Zone = { offsetMinutes: number } | { iana: string };

/** "+0800", "-05:00", "GMT+2", "GMT-01:01", "EST", "Z", "Etc/GMT", "(PST)"; undefined when it is no zone. */
export function parseZone(token: string): Zone | undefined {
  const t = token.trim().replace(/^\((.*)\)$/, "$1");
  const numeric = /^(?:(?:GMT|UTC|UT)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(t);
  if (numeric) {
    const hours = Number(numeric[2]);
    const minutes = Number(numeric[3] ?? 0);
    if (hours > 14 || minutes > 59) return undefined;
    return { offsetMinutes: (numeric[1] === "-" ? -1 : 1) * (hours * 60 + minutes) };
  }
  const named = NAMED_OFFSETS[t.toLowerCase()];
  if (named !== undefined) return { offsetMinutes: named };
  const military = militaryOffset(t);
  if (military !== undefined) return { offsetMinutes: military };
  if (t.includes("/") && isIanaZone(t)) return { iana: t };
  return undefined;
}

export function isIanaZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The instant a wall-clock time denotes in `zone` (an IANA zone is resolved with its DST rules). */
export function wallTimeToUtc(t: WallTime, zone: Zone): Date {
  const asUtc = utcMillis(t);
  if ("offsetMinutes" in zone) return new Date(asUtc - zone.offsetMinutes * 60_000);
  // Two passes: the offset at the guessed instant, then at the corrected one (DST edges).
  let guess = asUtc - ianaOffsetMinutes(zone.iana, asUtc) * 60_000;
  guess = asUtc - ianaOffsetMinutes(zone.iana, guess) * 60_000;
  return new Date(guess);
}

function utcMillis(t: WallTime): number {
  const d = new Date(Date.UTC(2000, t.month - 1, t.day, t.hour, t.minute, t.second));
  d.setUTCFullYear(t.year); // Date.UTC maps years 0..99 to 1900..1999
  return d.getTime();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function ianaOffsetMinutes(zone: string, at: number): number {
  let fmt = formatters.get(zone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(zone, fmt);
  }
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(new Date(at))) parts[p.type] = p.value;
  const year = parts.era === "BC" ? 1 - Number(parts.year) : Number(parts.year);
  const local = utcMillis({
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  });
  return Math.round((local - Math.floor(at / 1000) * 1000) / 60_000);
}
