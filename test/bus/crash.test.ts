// A worker killed with SIGKILL while it holds an unacked message is restarted: the work is done
// once in effect (one result row per message) and nothing is lost.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { encodeOutgoing } from "@newsroom/platform/outbox/write";
import { freshPostgres, NATS_URL, need, uniqueBusNames } from "../support/services.js";
import { deleteStream, waitFor } from "./harness.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WORKER = "test/fixtures/bus-crash-worker.ts";

interface Worker {
  proc: ChildProcess;
  out: string[];
  err: string[];
  exited: Promise<number | null>;
  line(re: RegExp, nth?: number): Promise<RegExpMatchArray>;
}

function startWorker(env: Record<string, string>): Worker {
  const proc = spawn(process.execPath, ["--import", "tsx", WORKER], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const out: string[] = [];
  const err: string[] = [];
  const collect = (into: string[]) => {
    let partial = "";
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop()!;
      into.push(...lines);
    };
  };
  proc.stdout!.on("data", collect(out));
  proc.stderr!.on("data", collect(err));
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return {
    proc,
    out,
    err,
    exited,
    async line(re, nth = 1) {
      let found: RegExpMatchArray[] = [];
      await waitFor(`worker line ${re} #${nth} (stderr: ${err.slice(-5).join(" | ")})`, () => {
        found = out.map((l) => l.match(re)).filter((m): m is RegExpMatchArray => !!m);
        return found.length >= nth;
      }, 45_000);
      return found[nth - 1];
    },
  };
}

it("a worker killed while holding unacked messages is restarted: one result row per message, none lost", async (ctx) => {
  if (!(await need("postgres")) || !(await need("nats"))) ctx.skip();
  const pg = await freshPostgres();
  const { prefix, stream } = uniqueBusNames();
  const workers: Worker[] = [];
  const env = (extra: Record<string, string>) => ({ DATABASE_URL: pg.url, NATS_URL, BUS_PREFIX: prefix, BUS_STREAM: stream, ACK_WAIT_MS: "3000", SLOW_MS: "400", ...extra });
  try {
    const N = 8;
    const keys = Array.from({ length: N }, (_, i) => `crash/${i}`);
    await pg.db
      .insertInto("outbox")
      .values(
        keys.map((key, i) => ({
          subject: "story.ingested",
          payload: Buffer.from(encodeOutgoing("story.ingested", { title: `story ${i}`, sourceCount: 1, firstPublished: new Date() }, { editionId: "ed-crash", storyId: `s${i}`, key })),
          headers: "{}",
        })),
      )
      .execute();

    // 1. Killed in the slow step of its third message: not committed, not acked.
    const first = startWorker(env({ AFTER_COMMIT_MS: "0" }));
    workers.push(first);
    const [, inSlowStep] = await first.line(/^START (.+)$/, 3);
    first.proc.kill("SIGKILL");
    await first.exited;
    expect(first.out).not.toContain(`COMMITTED ${inSlowStep}`);

    // 2. Killed right after a commit, before its ack.
    const second = startWorker(env({ AFTER_COMMIT_MS: "1500" }));
    workers.push(second);
    const [, committedNotAcked] = await second.line(/^COMMITTED (.+)$/);
    second.proc.kill("SIGKILL");
    await second.exited;

    // 3. Restarted: it finishes everything, skipping what was committed but not acked.
    const third = startWorker(env({ AFTER_COMMIT_MS: "0", LOG_LEVEL: "debug" }));
    workers.push(third);
    const results = async () => (await pg.db.selectFrom("edition_events").select("message").where("stage", "=", "result").execute()).map((r) => r.message);
    await waitFor("a result for every message", async () => new Set(await results()).size === N, 45_000);
    await waitFor("the redelivered, already processed message", () => third.err.some((l) => l.includes(`${committedNotAcked} already processed`)), 45_000);

    third.proc.kill("SIGTERM");
    expect(await third.exited).toBe(0);
    const rows = await results();
    // The message killed mid-step was done later, once; the one committed but not acked was not redone.
    expect(rows.sort()).toEqual([...keys].sort());
    expect(rows).toContain(inSlowStep);
  } finally {
    for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill("SIGKILL");
    await deleteStream(stream).catch(() => {});
    await pg.drop();
  }
}, 150_000);
