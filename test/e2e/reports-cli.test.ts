// `newsroom reports list|show|decide` as an operator runs it, against Postgres: readable
// output, a decision stored with its correction, and clear errors (exit 2, no stack trace).
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI } from "../support/processes.js";
import { freshPostgres, need } from "../support/services.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const STACK = /\n\s+at .+:\d+:\d+/;
let pgdb: Awaited<ReturnType<typeof freshPostgres>> | undefined;

function newsroom(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: pgdb!.url },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
}

beforeAll(async () => {
  if (!(await need("postgres"))) return;
  pgdb = await freshPostgres();
  const { db } = pgdb;
  const config = { edition: { language: "en", timezone: "Asia/Shanghai", window_hours: 24 }, podcast: { title: "Test Briefing" } };
  await db
    .insertInto("editions")
    .values({ id: "2025-03-10-evening-aa11", slot: "evening", language: "en", status: "published", now: "2025-03-10T11:00:00Z", deadline_at: "2025-03-10T11:20:00Z", config: JSON.stringify(config), notes: "[]" })
    .execute();
  await db
    .insertInto("stories")
    .values({ id: "st1", edition_id: "2025-03-10-evening-aa11", cluster_key: "c1", title: "Museum reopens", headline: "Museum reopens after two years", summary: "", language: "en", first_published: "2025-03-10T09:00:00Z", source_count: 1, status: "voiced" })
    .execute();
  for (const [id, kind, note] of [
    ["r-aaa111", "other", "The music bed is too loud\nunder the anchor"],
    ["r-bbb222", "wrong_fact", ""],
  ])
    await db
      .insertInto("reports")
      .values({ id, edition_id: "2025-03-10-evening-aa11", story_id: "st1", script_id: "st1-v2", script_version: 2, show_slug: "test-briefing", kind: kind as "other", note })
      .execute();
}, 120_000);

afterAll(async () => {
  await pgdb?.drop();
});

describe("newsroom reports", () => {
  it("lists, shows and decides reports", async () => {
    if (!pgdb) return;
    const list = newsroom(["reports", "list"]);
    expect(list.code, list.all).toBe(0);
    const rows = list.stdout.trim().split("\n");
    expect(rows[0].split("\t")).toEqual(["id", "filed", "status", "kind", "edition", "story", "version", "reason"]);
    expect(rows.slice(1).map((r) => r.split("\t").slice(2, 4))).toEqual([["filed", "other"], ["filed", "wrong fact"]]);

    const show = newsroom(["reports", "show", "r-aaa111"]);
    expect(show.code, show.all).toBe(0);
    expect(show.stdout).toMatch(/story:\s+st1 \(Museum reopens after two years\)/);
    expect(show.stdout).toMatch(/script:\s+st1-v2 version 2/);
    expect(show.stdout).toMatch(/note:\s+The music bed is too loud under the anchor/);

    const decide = newsroom(["reports", "decide", "r-aaa111", "uphold", "--reason", "the music bed drowned out the anchor's second line."]);
    expect(decide.code, decide.all).toBe(0);
    expect(decide.stdout).toContain("report r-aaa111: upheld");
    expect(decide.stdout).toContain(`A correction: about the story "Museum reopens after two years" in our 2025-03-10 edition: the music bed drowned out the anchor's second line.`);
    const row = await pgdb.db.selectFrom("reports").selectAll().where("id", "=", "r-aaa111").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "upheld", decided_by: "operator", corrected_in: null });
    const edition = await pgdb.db.selectFrom("editions").select("notes").where("id", "=", "2025-03-10-evening-aa11").executeTakeFirstOrThrow();
    expect(edition.notes).toEqual([expect.objectContaining({ kind: "correction", story_id: "st1", report_id: "r-aaa111" })]);

    const upheld = newsroom(["reports", "list", "--status", "upheld"]);
    expect(upheld.stdout.trim().split("\n").slice(1).map((r) => r.split("\t")[0])).toEqual(["r-aaa111"]);

    // Overruled before it was read: the correction and the edition's note go.
    const reject = newsroom(["reports", "decide", "r-aaa111", "reject", "--reason", "the levels were checked and are within the norm"]);
    expect(reject.code, reject.all).toBe(0);
    expect(await pgdb.db.selectFrom("reports").select(["status", "correction"]).where("id", "=", "r-aaa111").executeTakeFirstOrThrow()).toEqual({ status: "rejected", correction: null });
    expect((await pgdb.db.selectFrom("editions").select("notes").where("id", "=", "2025-03-10-evening-aa11").executeTakeFirstOrThrow()).notes).toEqual([]);
  });

  it("says clearly what is wrong, with no stack trace", () => {
    if (!pgdb) return;
    const cases: [string[], RegExp][] = [
      [["reports", "show", "r-nope"], /newsroom: no report r-nope \(newsroom reports list shows them\)/],
      [["reports", "decide", "r-bbb222", "maybe", "--reason", "x"], /newsroom: decide: expected uphold or reject; found "maybe"/],
      [["reports", "decide", "r-bbb222", "reject"], /required option '--reason <text>' not specified/],
      [["reports", "list", "--status", "open"], /expected filed, upheld or rejected/],
    ];
    for (const [args, message] of cases) {
      const r = newsroom(args);
      expect(r.code, r.all).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.all).not.toMatch(STACK);
    }
  });
});
