// Peer test suite: feedparser's own test feeds (../shared/corpus/feedparser), its date tests,
// and real captured news feeds (../shared/corpus/real), run through the ingest's parser.
//
// How feedparser's checks are translated (see ../shared/corpus/README.md):
// - Only checks on fields the ingest keeps count: title, link, id/guid, dates, summary/content,
//   encoding and bozo (well-formedness). Others (version string, tags, authors, enclosures,
//   xml:base bookkeeping, channel description, feed-level dates) are "not applicable".
// - Aliases as feedparser defines them: description = summary, guid = id, title_detail.value =
//   title, content[0].value = content, *_parsed = the item's published/updated instant.
// - feedparser returns sanitised HTML where the ingest keeps clean text: a text field passes when
//   it equals feedparser's value or that value reduced to text by the same HTML-to-text function.
// - Links are compared as URLs (WHATWG-normalised on both sides, so an IRI equals its punycode).
// - A raw date string check (entries[0].published == "Thu, 01 Jan 2004 ...") compares instants.
// - A feed the parser refuses counts as bozo with no fields.
// - Encoding checks that upstream runs only with the chardet package installed are not
//   applicable: the ingest guesses no encodings statistically (see decode.ts).
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { htmlToCleanText, htmlToOneLine, tidy } from "./clean-text.js";
import { parseFeedDate } from "./dates.js";
import { documentBase } from "./fetch.js";
import { parseFeedText, type FeedItem, type ParsedFeed } from "./parse.js";
import { readFeed } from "./read-feed.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const CORPUS = resolve(REPO, "../shared/corpus");
const present = existsSync(join(CORPUS, "feedparser/cases.json"));
if (!present) {
  const msg = `corpus not found at ${CORPUS} (expected ../shared/corpus beside the repository)`;
  if (process.env.CI === "true") throw new Error(msg);
  console.warn(`SKIPPED: ${msg}`);
}

interface Check {
  path: string;
  op: "eq" | "datetime_eq" | "absent";
  value: unknown;
}
interface Case {
  file: string;
  category: string;
  input: "text" | "bytes" | "http";
  http_headers?: Record<string, string>;
  document_url?: string;
  skip_unless?: string;
  checks: Check[];
  harness_implied?: Record<string, unknown>;
}

type Outcome = { status: "passed" } | { status: "failed"; detail: string } | { status: "n/a"; reason: string };
type Result = (ParsedFeed & { encoding?: string }) | { refused: string };

function run(c: Case): Result {
  const bytes = readFileSync(join(CORPUS, "feedparser", c.file));
  try {
    if (c.input === "text") {
      // Upstream decodes first (BOM, else UTF-8 ignoring errors) and hands the parser a string.
      return parseFeedText(new TextDecoder("utf-8").decode(bytes));
    }
    if (c.input === "bytes") return readFeed(bytes);
    const headers = Object.fromEntries(Object.entries(c.http_headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    return readFeed(bytes, { contentType: headers["content-type"], baseUrl: documentBase(c.document_url!, headers["content-location"]) });
  } catch (err) {
    return { refused: (err as Error).message };
  }
}

const NOT_KEPT: [RegExp, string][] = [
  [/^version$/, "the ingest keeps the format family, not feedparser's version string"],
  [/\.(tags|category|authors|author|author_detail|enclosures|links)(\[|$|\.)/, "authors, tags and enclosures are not kept"],
  [/\.(title_detail|content\[\d+\])\.(base|src)$/, "xml:base and content src bookkeeping are not kept (links are resolved instead)"],
  [/^feed\.(description|tagline|subtitle)$/, "the channel description is not kept"],
  [/^feed\.(published|updated)(_parsed)?$/, "feed-level dates are not kept (freshness goes by item dates)"],
];

function textMatches(ours: string, expected: string, oneLine: boolean): boolean {
  const asText = oneLine ? htmlToOneLine(expected) : htmlToCleanText(expected);
  return ours === expected || ours === tidy(expected) || ours === asText;
}

function sameUrl(a: string | undefined, b: string): boolean {
  const norm = (u: string) => {
    try {
      return new URL(u).href;
    } catch {
      return u;
    }
  };
  return a !== undefined && norm(a) === norm(b);
}

function evaluate(c: Case, check: Check, r: Result): Outcome {
  for (const [re, reason] of NOT_KEPT) if (re.test(check.path)) return { status: "n/a", reason };
  if (check.path === "encoding" && c.skip_unless?.includes("chardet"))
    return { status: "n/a", reason: "upstream runs it only with chardet installed; no statistical charset guessing here" };

  const fail = (got: unknown): Outcome => ({ status: "failed", detail: `${check.path} ${check.op} ${JSON.stringify(check.value)}, got ${JSON.stringify(got)}` });
  const ok = (pass: boolean, got: unknown): Outcome => (pass ? { status: "passed" } : fail(got));

  if (check.path === "bozo") return ok(("refused" in r ? true : r.bozo) === check.value, "refused" in r ? `refused: ${r.refused}` : r.bozo);
  if ("refused" in r) return fail(`refused: ${r.refused}`);
  if (check.path === "encoding") return ok(r.encoding?.toLowerCase() === String(check.value).toLowerCase(), r.encoding);

  const feed = /^feed\.(.+)$/.exec(check.path);
  if (feed) {
    const field = feed[1];
    if (field === "title" || field === "title_detail.value") return ok(textMatches(r.feedTitle, String(check.value), true), r.feedTitle);
    if (field === "link" || field === "links[0].href") return ok(sameUrl(r.feedLink, String(check.value)), r.feedLink);
    return { status: "n/a", reason: `feed.${field} is not kept` };
  }

  const entry = /^entries\[(\d+)\]\.(.+)$/.exec(check.path);
  if (!entry) return { status: "n/a", reason: "not a field the ingest keeps" };
  const item: FeedItem | undefined = r.items[Number(entry[1])];
  const field = entry[2];
  if (!item) return fail("no such item");
  switch (field) {
    case "title":
    case "title_detail.value":
      return ok(textMatches(item.title, String(check.value), true), item.title);
    case "link":
      if (check.op === "absent") return ok(item.link === undefined, item.link);
      return ok(sameUrl(item.link, String(check.value)), item.link);
    case "id":
    case "guid":
      return ok(item.guid === check.value, item.guid);
    case "summary":
    case "description":
      return ok(textMatches(item.summary, String(check.value), false), item.summary);
    case "content[0].value":
      return ok(textMatches(item.content, String(check.value), false), item.content);
    case "published_parsed":
    case "updated_parsed":
    case "published":
    case "updated": {
      const ours = field.startsWith("published") ? item.published : item.updated;
      const expected = check.op === "datetime_eq" ? new Date(String(check.value)) : parseFeedDate(String(check.value));
      return ok(!!ours && !!expected && ours.getTime() === expected.getTime(), ours?.toISOString());
    }
  }
  return { status: "n/a", reason: `entries[].${field} is not kept` };
}

describe.skipIf(!present)("feedparser corpus", () => {
  it("passes at least 95% of the applicable checks", () => {
    const cases: Case[] = JSON.parse(readFileSync(join(CORPUS, "feedparser/cases.json"), "utf8"));
    const counts = { passed: 0, failed: 0, "n/a": 0 };
    const failures: string[] = [];
    const notApplicable = new Map<string, number>();
    for (const c of cases) {
      const checks = [...c.checks];
      // The harness asserts bozo for every file of a folder; keep that where the case lists no bozo check.
      if (c.harness_implied && "bozo" in c.harness_implied && !checks.some((x) => x.path === "bozo"))
        checks.push({ path: "bozo", op: "eq", value: c.harness_implied.bozo });
      if (!checks.length) continue;
      const r = run(c);
      for (const check of checks) {
        const o = evaluate(c, check, r);
        counts[o.status]++;
        if (o.status === "failed") failures.push(`${c.file}: ${o.detail}`);
        if (o.status === "n/a") notApplicable.set(o.reason, (notApplicable.get(o.reason) ?? 0) + 1);
      }
    }
    const rate = counts.passed / (counts.passed + counts.failed);
    console.log(
      [
        `feedparser corpus: ${counts.passed} passed, ${counts.failed} failed, ${counts["n/a"]} not applicable (${(rate * 100).toFixed(1)}% of applicable checks passed)`,
        ...failures.map((f) => `  FAILED ${f}`),
        ...[...notApplicable].map(([reason, n]) => `  n/a x${n}: ${reason}`),
      ].join("\n"),
    );
    expect(counts.passed + counts.failed).toBeGreaterThan(200);
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });

  it("reads feedparser's date tests (clock-dependent rows skipped)", () => {
    const rows: { input: string; expected_utc: string | null; generic_clock_dependent: boolean; comment: string }[] = JSON.parse(
      readFileSync(join(CORPUS, "feedparser/dates.json"), "utf8"),
    );
    const failures: string[] = [];
    let passed = 0;
    const asserted = rows.filter((r) => !r.generic_clock_dependent);
    for (const row of asserted) {
      const got = parseFeedDate(row.input)?.toISOString().replace(".000Z", "Z");
      if (got === (row.expected_utc ?? undefined)) passed++;
      else failures.push(`${JSON.stringify(row.input)} (${row.comment}): expected ${row.expected_utc}, got ${got}`);
    }
    console.log([`feedparser dates: ${passed} passed, ${failures.length} failed, ${rows.length - asserted.length} skipped (clock-dependent)`, ...failures.map((f) => `  FAILED ${f}`)].join("\n"));
    expect(failures).toEqual([]);
  });
});

// Real feeds. Zone-less dates need the publisher's zone, as a feed's config would give it.
const TIMEZONES: Record<string, string> = {
  "zh/qq-news-guonei.gb2312.xml": "Asia/Shanghai",
  "en/nbc-newyork.xml": "America/New_York",
};

// First item's UTC instant where the upstream parsers are wrong or silent, with the reason.
const CORRECTED: Record<string, [string, string]> = {
  "en/nbc-newyork.xml": ["2023-12-16T19:02:33Z", "'Sat, Dec 16 2023 02:02:33 PM' in New York: feedparser drops PM, feed-rs gives up"],
  "it/ilmessaggero-mondo.xml": ["2022-11-15T23:38:15Z", "'mer, 16 nov 2022 00:38:15 +0100': feedparser cannot read Italian names"],
  "pt/uol-noticias.rss": ["2018-09-24T22:42:40Z", "'Seg, 24 Set 2018 19:42:40 -0300': Portuguese names; no upstream has an instant"],
  "zh/qq-news-guonei.gb2312.xml": ["2018-09-18T06:38:10Z", "'2018-09-18 14:38:10' is Beijing time (feedparser reads it as UTC)"],
};

function realFiles(): string[] {
  const root = join(CORPUS, "real");
  return ["de", "en", "it", "pt", "zh"].flatMap((lang) => readdirSync(join(root, lang)).map((f) => `${lang}/${f}`));
}

interface Observed {
  file: string;
  bozo: boolean;
  entry0: { published_utc: string | null; updated_utc: string | null };
}

function feedparserObserved(): Observed[] {
  return JSON.parse(readFileSync(join(CORPUS, "real/feedparser_observed.json"), "utf8"));
}

function upstreamFirstDates(file: string): string[] {
  const iso = (s: string | null | undefined) => (s ? new Date(s).toISOString().replace(".000Z", "Z") : undefined);
  const dates: (string | undefined)[] = [];
  const o = feedparserObserved().find((x) => x.file === file);
  if (o) dates.push(iso(o.entry0.published_utc ?? o.entry0.updated_utc));
  const sources = readFileSync(join(CORPUS, "real/SOURCES.md"), "utf8");
  const row = sources.split("\n").find((l) => l.includes(`\`${file}\``));
  const expected = row && /`(expected\/[^`]+\.json)`/.exec(row)?.[1];
  if (expected) {
    const text = readFileSync(join(CORPUS, "real", expected)).toString("utf8");
    try {
      const json = JSON.parse(text);
      if (json.entries) dates.push(iso(json.entries[0]?.published ?? json.entries[0]?.updated));
      if (json.feed?.items) dates.push(iso(json.feed.items[0]?.isoDate));
    } catch {
      // uolNoticias.json is stored in ISO-8859-1 and is not valid JSON text as UTF-8
    }
  }
  return dates.filter((d): d is string => !!d);
}

describe.skipIf(!present)("real captured feeds", () => {
  const files = present ? realFiles() : [];
  it("has the 12 real feeds", () => expect(files.length).toBe(12));
  for (const file of files) {
    it(`${file}: every item has a title, a link and a correct UTC date; bozo as feedparser observed`, () => {
      const feed = readFeed(readFileSync(join(CORPUS, "real", file)), { timezone: TIMEZONES[file] });
      expect(feed.items.length).toBeGreaterThan(0);
      for (const item of feed.items) {
        expect(item.title, `${file}: title`).not.toBe("");
        expect(item.link, `${file}: link of "${item.title}"`).toMatch(/^https?:\/\//);
        expect(item.published, `${file}: date of "${item.title}"`).toBeInstanceOf(Date);
      }
      const observed = feedparserObserved().find((o) => o.file === file);
      if (observed) expect(feed.bozo, `${file}: well-formedness as feedparser saw it`).toBe(observed.bozo);
      const first = feed.items[0].published!.toISOString().replace(".000Z", "Z");
      const corrected = CORRECTED[file];
      if (corrected) expect(first, corrected[1]).toBe(corrected[0]);
      else {
        const upstream = upstreamFirstDates(file);
        expect(upstream.length, `${file}: an upstream date to compare with`).toBeGreaterThan(0);
        for (const d of upstream) expect(first).toBe(d);
      }
    });
  }

  it("decodes the GB2312 and ISO-8859-1 feeds to the right characters", () => {
    const qq = readFeed(readFileSync(join(CORPUS, "real/zh/qq-news-guonei.gb2312.xml")), { timezone: "Asia/Shanghai" });
    expect(qq.encoding).toBe("gb18030");
    expect(qq.feedTitle).toBe("新闻国内");
    expect(qq.items[0].title).toBe("习近平为何如此强调崇尚英雄？");
    expect(qq.items).toHaveLength(20);
    const uol = readFeed(readFileSync(join(CORPUS, "real/pt/uol-noticias.rss")));
    expect(uol.encoding).toBe("windows-1252");
    expect(uol.bozo).toBe(true);
    expect(uol.feedTitle).toBe("UOL Noticias");
    expect(uol.items[0].summary).toContain("Líder na pesquisa Ibope");
    const jn = readFeed(readFileSync(join(CORPUS, "real/pt/jn-ultimas.rss")));
    expect(jn.encoding).toBe("iso-8859-1");
    expect(jn.feedTitle).toBe("Jornal de Notícias - Últimas Notícias");
  });
});
