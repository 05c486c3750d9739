// Feed dates as publishers really write them -> an instant, or undefined when the text is no
// valid date. Covers RFC 822/2822 and its variants (missing seconds, AM/PM, named and military
// zones, two-digit years, extra commas, month-first order), ISO 8601 / W3CDTF, asctime, Korean
// and Chinese year-month-day forms, and day/month names in many languages (see date-names.ts).
// A date without a zone is read in the feed's configured time zone (UTC when none is set).
import { isWeekdayName, monthNumber } from "./date-names.js";
import { parseZone, wallTimeToUtc, type WallTime, type Zone } from "./zones.js";

export interface DateOptions {
  /** IANA zone for dates written without one (e.g. "Asia/Shanghai" for news.qq.com). */
  timezone?: string;
}

export function parseFeedDate(raw: string | undefined | null, opts: DateOptions = {}): Date | undefined {
  if (!raw) return undefined;
  const text = raw.replace(/\s+/g, " ").trim();
  if (!text) return undefined;
  const fallback: Zone = opts.timezone ? { iana: opts.timezone } : { offsetMinutes: 0 };
  return parseIso(text, fallback) ?? parseCjk(text, opts) ?? parseRfc822(text, fallback);
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?`;
const AMPM = String.raw`(?: ?([AaPp])\.?[Mm]\.?)?`;

/** ISO 8601 / W3CDTF: "2003-12-31T10:14:55.12Z", "2003-12", "2004-07-08 23:56:58 -00:20", "20031231T101455Z",
 * and a month name in place of the number ("2004-július-13T9:15-05:00"). */
function parseIso(text: string, fallback: Zone): Date | undefined {
  const named = /^(\d{4})-(\p{L}+)-/u.exec(text);
  if (named) {
    const month = monthNumber(named[2]);
    if (!month) return undefined;
    text = `${named[1]}-${String(month).padStart(2, "0")}-${text.slice(named[0].length)}`;
  }
  const m =
    /^(\d{4})(?:-(\d{1,3})(?:-(\d{1,2}))?)?(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?: ?(Z|[+-]\d{2}(?::?\d{2})?))?)?$/i.exec(text) ??
    /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(text);
  if (!m) return undefined;
  const zone = m[7] ? parseZone(m[7]) : fallback;
  if (!zone) return undefined;
  return build(
    { year: Number(m[1]), month: Number(m[2] ?? 1), day: Number(m[3] ?? 1), hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0) },
    zone,
  );
}

/** "2004년 05월 28일 01:31:15", "2018年9月18日 14:38", "2004-05-25 오후 11:23:17". Korean forms mean Korean
 * time unless the feed says otherwise (as feedparser assumes). */
function parseCjk(text: string, opts: DateOptions): Date | undefined {
  const m =
    /^(\d{4}) ?[年년] ?(\d{1,2}) ?[月월] ?(\d{1,2}) ?[日일](?: ?(오전|오후|上午|下午))?(?: ?(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text) ??
    /^(\d{4})-(\d{1,2})-(\d{1,2}) (오전|오후|上午|下午) (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const korean = /[년월일오후전]/.test(text);
  const zone: Zone = opts.timezone ? { iana: opts.timezone } : korean ? { iana: "Asia/Seoul" } : { offsetMinutes: 0 };
  let hour = Number(m[5] ?? 0);
  if ((m[4] === "오후" || m[4] === "下午") && hour < 12) hour += 12;
  if ((m[4] === "오전" || m[4] === "上午") && hour === 12) hour = 0;
  return build({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour, minute: Number(m[6] ?? 0), second: Number(m[7] ?? 0) }, zone);
}

const RFC_PATTERNS: { re: RegExp; day: number; month: number; year: number; time: number; zone: number }[] = [
  // 16 nov 2022 00:38:15 +0100 | 01 Jan 04 19:48:21 GMT | 01 Jan 2004
  { re: new RegExp(String.raw`^(\d{1,2}) (\p{L}+\.?) (\d{2,4})(?: ${TIME}${AMPM})?(?: (.+))?$`, "u"), day: 1, month: 2, year: 3, time: 4, zone: 8 },
  // Dec 16 2023 02:02:33 PM | Aug 30 2012 17:26:16 +0200
  { re: new RegExp(String.raw`^(\p{L}+\.?) (\d{1,2}) (\d{4})(?: ${TIME}${AMPM})?(?: (.+))?$`, "u"), day: 2, month: 1, year: 3, time: 4, zone: 8 },
  // asctime: Jan 4 16:29:06 2004 | Jul 15 01:16:00 +0000 2012
  { re: new RegExp(String.raw`^(\p{L}+\.?) (\d{1,2}) ${TIME}${AMPM}(?: (\S+))? (\d{4})$`, "u"), day: 2, month: 1, year: 8, time: 3, zone: 7 },
];

function parseRfc822(text: string, fallback: Zone): Date | undefined {
  const tokens = text.replace(/,/g, ", ").split(" ").filter(Boolean);
  // A leading weekday (any language) is dropped: "Thu,", "mer,", "Seg,", "Sun" before a month name.
  if (tokens.length > 1 && /^\p{L}+\.?,?$/u.test(tokens[0])) {
    const word = tokens[0].replace(/,$/, "");
    const nextIsWord = /^\p{L}/u.test(tokens[1]);
    if (tokens[0].endsWith(",") || nextIsWord || (isWeekdayName(word) && !monthNumber(word))) tokens.shift();
  }
  const rest = tokens.join(" ").replace(/,/g, "").replace(/ +/g, " ").trim();

  const perforce = new RegExp(String.raw`^(\d{4})/(\d{1,2})/(\d{1,2}) ${TIME}(?: (.+))?$`).exec(rest);
  if (perforce) {
    const zone = perforce[7] ? zoneOf(perforce[7]) : fallback;
    if (!zone) return undefined;
    const [, y, mo, d, h, mi, s] = perforce;
    return build({ year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s ?? 0) }, zone);
  }

  for (const p of RFC_PATTERNS) {
    const m = p.re.exec(rest);
    if (!m) continue;
    const month = monthNumber(m[p.month]);
    if (!month) return undefined;
    const zone = m[p.zone] ? zoneOf(m[p.zone]) : fallback;
    if (!zone) return undefined;
    let hour = Number(m[p.time] ?? 0);
    const ampm = m[p.time + 3]?.toLowerCase();
    if (ampm === "p" && hour < 12) hour += 12;
    if (ampm === "a" && hour === 12) hour = 0;
    return build(
      { year: fullYear(m[p.year]), month, day: Number(m[p.day]), hour, minute: Number(m[p.time + 1] ?? 0), second: Number(m[p.time + 2] ?? 0) },
      zone,
    );
  }
  return undefined;
}

/** A zone, allowing a trailing comment such as "+0000 (UTC)". */
function zoneOf(text: string): Zone | undefined {
  return parseZone(text) ?? parseZone(text.replace(/ ?\([^)]*\)$/, ""));
}

/** RFC 2822 4.3: two-digit years 00-49 are 20xx, 50-99 are 19xx; three-digit years add 1900. */
function fullYear(text: string): number {
  const y = Number(text);
  if (text.length === 2) return y < 50 ? 2000 + y : 1900 + y;
  if (text.length === 3) return 1900 + y;
  return y;
}

function build(t: WallTime, zone: Zone): Date | undefined {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > daysInMonth(t.year, t.month)) return undefined;
  if (t.hour > 23 || t.minute > 59 || t.second > 60) return undefined;
  const date = wallTimeToUtc({ ...t, second: Math.min(t.second, 59) }, zone);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function daysInMonth(year: number, month: number): number {
  const d = new Date(Date.UTC(2000, month, 0));
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}
