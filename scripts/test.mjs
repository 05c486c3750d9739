#!/usr/bin/env node
// `npm test`: static checks, then every vitest suite, then one plain closing line
// "N passed, N failed, N skipped" so CI can tell a run that executed no test from a green one.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

const root = new URL("..", import.meta.url).pathname;
const bin = (name) => join(root, "node_modules/.bin", name);
const run = (label, cmd, args, opts = {}) => {
  console.log(`\n== ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  return r.status ?? 1;
};

const failures = [];
if (run("typecheck (tsc)", bin("tsc"), ["-p", "tsconfig.json"])) failures.push("typecheck");
if (run("proto lint (buf)", bin("buf"), ["lint"], { cwd: join(root, "proto") })) failures.push("buf lint");
if (run("generated code is fresh", process.execPath, [join(root, "scripts/proto-gen.mjs"), "--check"])) failures.push("proto:check");
if (run("the map in the READMEs is fresh", process.execPath, ["--import", "tsx", join(root, "scripts/map-gen.ts"), "--check"])) failures.push("map:check");

const out = join(mkdtempSync(join(tmpdir(), "newsroom-test-")), "vitest.json");
const extra = process.argv.slice(2);
const vitestStatus = run("tests (vitest)", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...extra]);

let passed = 0, failed = 0, skipped = 0;
if (existsSync(out)) {
  const report = JSON.parse(readFileSync(out, "utf8"));
  passed = report.numPassedTests ?? 0;
  failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
} else {
  failed = 1;
}
if (vitestStatus && failed === 0) failed = 1;
failed += failures.length;
if (failures.length) console.log(`\nstatic checks failed: ${failures.join(", ")}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed || passed === 0 ? 1 : 0);
