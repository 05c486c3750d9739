// The `newsroom` command as a newcomer meets it: a whole edition from a config, and clear
// messages (no stack traces) for a bad config, a bad feed, a missing database schema and an
// unreachable NATS.
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { CLI } from "../support/processes.js";
import { offlineConfigYaml, writeFreshFeeds } from "../support/fresh-feeds.js";
import { freshPostgres, NATS_URL, need, PG_ADMIN_URL } from "../support/services.js";
import { loadConfigFile } from "@newsroom/platform/config/load";
import { runServices } from "@newsroom/platform/service/run";
import { SERVICES } from "@newsroom/cli/services";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;

function newsroom(args: string[], env: NodeJS.ProcessEnv = {}, timeout = 60_000) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: "utf8",
    timeout,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
}

const STACK = /\n\s+at .+\(.+:\d+:\d+\)/;

describe("newsroom edition", () => {
  it("makes an edition from a config with one broken feed, and names its folder last", async () => {
    const dir = mkdtempSync(join(tmpdir(), "newsroom-cli-"));
    const feeds = writeFreshFeeds(join(dir, "feeds"), new Date());
    writeFileSync(join(dir, "feeds", "broken.xml"), "<rss><channel><title>cut off");
    const config = offlineConfigYaml(feeds, { stories: 3 }).replace(
      "feeds:\n",
      `feeds:\n  - {file: "${join(dir, "feeds", "broken.xml")}"}\n  - {file: "${join(dir, "feeds", "missing.xml")}"}\n`,
    );
    writeFileSync(join(dir, "newsroom.yaml"), config);

    const r = newsroom(["edition", "--config", join(dir, "newsroom.yaml"), "--out", join(dir, "out"), "--data", join(dir, "data")], {}, 300_000);
    expect(r.code, r.all).toBe(0);
    const lines = r.stdout.trim().split("\n");
    const folder = lines[lines.length - 1];
    expect(folder.startsWith(join(dir, "out"))).toBe(true);
    expect(r.stdout).toMatch(/requested/);
    expect(r.stdout).toMatch(/published/);
    // It says how to serve what it made: the listener site over that folder.
    expect(r.stdout).toContain(`OUTPUT_DIR=${relative(process.cwd(), join(dir, "out"))} DATA_DIR=.newsroom/site npx newsroom serve site`);

    const { stdout } = await run("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", join(folder, "edition.mp3")]);
    expect(Number(stdout.trim())).toBeGreaterThan(10);
    const doc = JSON.parse(readFileSync(join(folder, "edition.json"), "utf8"));
    const notes = JSON.stringify(doc);
    expect(notes).toMatch(/missing\.xml/);
    expect(notes).toMatch(/broken\.xml/);
    expect(readdirSync(join(dir, "out", "feeds")).filter((f) => f.endsWith(".xml"))).toHaveLength(1);
  }, 320_000);

  it("ends with the reason when every feed fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "newsroom-cli-"));
    writeFileSync(join(dir, "a.xml"), "not xml at all");
    const config = offlineConfigYaml({ wire: join(dir, "a.xml"), local: join(dir, "missing.xml") });
    writeFileSync(join(dir, "newsroom.yaml"), config);
    const r = newsroom(["edition", "--config", join(dir, "newsroom.yaml"), "--out", join(dir, "out"), "--data", join(dir, "data")], {}, 120_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/missing\.xml: cannot read file/);
    expect(r.stderr).toMatch(/failed: every feed failed \(2\)/);
    expect(r.all).not.toMatch(STACK);
  }, 130_000);

  it("refuses a bad config with the key path, what was expected and what was found", () => {
    const dir = mkdtempSync(join(tmpdir(), "newsroom-cli-"));
    writeFileSync(join(dir, "bad.yaml"), "edition: {stories: many, language: fr}\nfeeds: []\nproviders: {}\n");
    const r = newsroom(["edition", "--config", join(dir, "bad.yaml"), "--out", join(dir, "out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/edition\.stories: .*number.*found "many"/);
    expect(r.stderr).toMatch(/edition\.language: .*found "fr"/);
    expect(r.stderr).toMatch(/feeds: .*at least one feed/);
    expect(r.all).not.toMatch(STACK);

    const missing = newsroom(["check-config", "--config", join(dir, "nope.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml: cannot read the config file \(no such file\)/);

    writeFileSync(join(dir, "broken.yaml"), "edition:\n  stories: 3\n feeds: [\n");
    const yaml = newsroom(["check-config", "--config", join(dir, "broken.yaml")]);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/broken\.yaml: invalid config\n  - YAML: .*line 3/);
    expect(yaml.all).not.toMatch(STACK);
  });

  it("says which key a bad value in a union field is under, what that key expects and what was found, one line each", () => {
    const dir = mkdtempSync(join(tmpdir(), "newsroom-cli-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "feeds:\n  - {url: https://example.org/feed.xml, timezone: Seoul}\nproviders: {}\nanchors:\n  anchor_b: {name: 42}\nedtion: {stories: 3}\n");
    const r = newsroom(["check-config", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      [
        `${file}: invalid config`,
        '  - feeds[0].timezone: expected an IANA time zone such as Asia/Shanghai, found "Seoul"',
        "  - anchors.anchor_b.name: expected a name or {zh, en} names, found 42",
        '  - (top level): unknown key "edtion" (did you mean "edition"?)',
      ].join("\n"),
    );
    expect(r.all).not.toMatch(STACK);
  });

  it("refuses an --out that is a file before any work, leaving the file as it was", () => {
    const dir = mkdtempSync(join(tmpdir(), "newsroom-cli-"));
    writeFileSync(join(dir, "editions"), "keep me");
    const r = newsroom(["edition", "--config", join(ROOT, "samples/newsroom.yaml"), "--out", join(dir, "editions"), "--data", join(dir, "data")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`newsroom: --out ${join(dir, "editions")}: cannot use it as a folder (a file is in the way)`);
    expect(r.stdout).not.toMatch(/requested/);
    expect(readFileSync(join(dir, "editions"), "utf8")).toBe("keep me");
  });

  it("check-config prints the resolved config with secrets masked", () => {
    const r = newsroom(["check-config", "--config", join(ROOT, "examples/providers.yaml")], { DEEPSEEK_API_KEY: "sk-PLANTED-cli-0123456789" });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(/DEEPSEEK_API_KEY \(set, \*+\)/);
    expect(r.all).not.toContain("sk-PLANTED-cli-0123456789");
  });

  it("rejects a bad --now and an unknown service with a usage message", () => {
    const r = newsroom(["edition", "--config", "x.yaml", "--now", "yesterday"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--now.*ISO-8601/);
    const s = newsroom(["serve", "printer"], { NATS_URL: "nats://127.0.0.1:4222", DATABASE_URL: "postgres://x@127.0.0.1/x" });
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/unknown service printer; choose from ingest, editor, factcheck, voice, publisher, site or all/);
  }, 120_000);
});

describe("newsroom request", () => {
  it("asks a running newsroom's gRPC API for an edition and follows it; refused without the token", async () => {
    const dir = mkdtempSync(join(tmpdir(), "newsroom-cli-"));
    const configFile = join(dir, "newsroom.yaml");
    writeFileSync(configFile, offlineConfigYaml(writeFreshFeeds(join(dir, "feeds"), new Date()), { stories: 2 }));
    const env = { DATA_DIR: "memory://", OUTPUT_DIR: join(dir, "out"), GRPC_PORT: "0", GRPC_HOST: "127.0.0.1", GRPC_AUTH_TOKEN: "t0ken-for-the-test", LOG_LEVEL: "warn" };
    const running = await runServices(SERVICES, { embedded: true, config: loadConfigFile(configFile), env });
    const cli = (args: string[], extra: NodeJS.ProcessEnv) =>
      run(process.execPath, [CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...extra }, timeout: 180_000 }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    try {
      const server = `127.0.0.1:${running.grpcPort}`;
      const refused = await cli(["request", "--server", server], {});
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/missing `authorization: Bearer <token>` metadata/);
      expect(refused.stderr).not.toMatch(STACK);

      const r = await cli(["request", "--server", server, "--slot", "morning"], { GRPC_AUTH_TOKEN: "t0ken-for-the-test" });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/edition \S+-morning-\S+ requested/);
      expect(r.stdout).toMatch(/voice .*voiced story/);
      expect(r.stdout.trim().split("\n").pop()).toMatch(/edition is published/);
    } finally {
      await running.stop();
    }
  }, 240_000);
});

describe("newsroom serve: environment problems are clear and final", () => {
  const dir = mkdtempSync(join(tmpdir(), "newsroom-cli-"));
  const configFile = join(dir, "newsroom.yaml");
  writeFileSync(configFile, offlineConfigYaml(writeFreshFeeds(join(dir, "feeds"), new Date())));

  it("one service on the in-process bus is refused", () => {
    const r = newsroom(["serve", "editor"], { NEWSROOM_CONFIG: configFile });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/without NATS_URL: the in-process bus only connects roles inside one process/);
    expect(r.all).not.toMatch(STACK);
  });

  it("an unreachable NATS ends the process with the address, not a crash loop", async () => {
    if (!(await need("postgres"))) return;
    // A migrated database of its own, so the process gets past the schema check to NATS on any
    // machine (the shared admin database has no newsroom tables on a fresh one).
    const pg = await freshPostgres();
    try {
      const r = newsroom(["serve", "editor"], { NEWSROOM_CONFIG: configFile, NATS_URL: "nats://127.0.0.1:1", DATABASE_URL: pg.url, MIGRATE_ON_START: "false" }, 90_000);
      expect(r.code, r.all).toBe(2);
      expect(r.stderr).toMatch(/cannot reach NATS at nats:\/\/127\.0\.0\.1:1/);
      expect(r.all).not.toMatch(STACK);
    } finally {
      await pg.drop();
    }
  }, 100_000);

  it("a database without the schema says to run migrate", async () => {
    if (!(await need("postgres")) || !(await need("nats"))) return;
    const name = `nr_empty_${Date.now().toString(36)}`;
    const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: PG_ADMIN_URL, max: 1 }) }) });
    await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin);
    try {
      const url = PG_ADMIN_URL.replace(/\/[^/?]*$/, `/${name}`);
      const r = newsroom(["serve", "editor"], { NEWSROOM_CONFIG: configFile, NATS_URL, DATABASE_URL: url }, 90_000);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/no newsroom tables: run `npx newsroom migrate` first/);
      expect(r.all).not.toMatch(STACK);

      const m = newsroom(["migrate"], { DATABASE_URL: url, NATS_URL });
      expect(m.code, m.all).toBe(0);
      expect(m.stdout).toMatch(/applied: 0001_initial/);
      const again = newsroom(["migrate"], { DATABASE_URL: url, NATS_URL });
      expect(again.stdout).toMatch(/schema is up to date/);
      const dl = newsroom(["dead-letters", "list"], { DATABASE_URL: url, NATS_URL });
      expect(dl.code, dl.all).toBe(0);
      expect(dl.stdout).toMatch(/no dead letters/);
    } finally {
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(admin).catch(() => {});
      await admin.destroy();
    }
  }, 200_000);
});
