// The ledger writes behind, from a crash journal: a process killed (SIGKILL) after its model
// calls returned but before any of their rows reached the database loses none of them; the
// next ledger opened on the journal folder writes each row exactly once.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { closeLedger, openLedger } from "@newsroom/platform/ledger/ledger";
import { behave, startFakeOpenAI } from "../fakes/openai-server.js";
import { SCRIPT } from "./support.js";
import { freshPostgres, need } from "../support/services.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

it("a process killed before writing its ledger rows loses none: the next start writes each once", async (ctx) => {
  if (!(await need("postgres"))) ctx.skip();
  const pg = await freshPostgres();
  const fake = await startFakeOpenAI({ behaviours: { "crash-a": behave.ok(SCRIPT) } });
  const journalDir = mkdtempSync(join(tmpdir(), "ledger-journal-"));
  const edition = `crash-${Date.now()}`;
  const N = 12;
  try {
    const proc = spawn(process.execPath, ["--import", "tsx", "test/fixtures/ledger-crash-worker.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: pg.url, VENDOR_URL: fake.url, JOURNAL_DIR: journalDir, CALLS: String(N), EDITION: edition },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    proc.stdout!.on("data", (c) => (out += c));
    proc.stderr!.on("data", (c) => (err += c));
    const signal = await new Promise<NodeJS.Signals | null>((r) => proc.once("exit", (_code, sig) => r(sig)));
    expect(out, err).toContain(`called ${N}`);
    expect(signal).toBe("SIGKILL");
    expect(fake.callsFor("crash-a")).toHaveLength(N);

    const rows = () => pg.db.selectFrom("model_calls").selectAll().where("edition_id", "=", edition).execute();
    // Killed before any write: the rows are only in the journal.
    expect(await rows()).toHaveLength(0);
    expect(readdirSync(journalDir).length).toBeGreaterThan(0);

    const ledger = openLedger(pg.db, { journalDir });
    await ledger.flush();
    const written = await rows();
    expect(written).toHaveLength(N);
    expect(new Set(written.map((r) => r.call_id)).size).toBe(N);
    expect(new Set(written.map((r) => r.story_id))).toEqual(new Set(Array.from({ length: N }, (_, i) => `${edition}-s${i}`)));
    expect(written.every((r) => r.outcome === "ok" && r.cost_usd > 0 && r.provider === "alpha")).toBe(true);
    expect(readdirSync(journalDir)).toEqual([]);

    // Opened once more on the same folder: nothing is written twice.
    await closeLedger(pg.db);
    await openLedger(pg.db, { journalDir }).flush();
    expect(await rows()).toHaveLength(N);
    await closeLedger(pg.db);
  } finally {
    await fake.close();
    await pg.db.destroy();
    await pg.drop();
  }
}, 120_000);
