// The ledger's crash journal: every row is appended to a local file (one JSON line, a plain
// write to the page cache, microseconds) before the call returns, and the file is deleted once
// its rows are in the database. A process killed in between leaves its file behind; the next
// ledger opened on the same folder writes those rows (each row has a unique call_id, so a row
// that did reach the database is not written twice).
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { join } from "node:path";

export interface Journal {
  /** This journal's id in its file names (a pid can come back after a restart; a boot id does not). */
  readonly boot: string;
  append(line: string): void;
  /** Closes the file being written; the next append opens a new one. Returns the closed file. */
  rotate(): string | undefined;
  remove(file: string): void;
  close(): void;
}

const FILE = /^(\d+)-([0-9a-f]{8})-(\d+)\.jsonl$/;

export function openJournal(dir: string): Journal {
  mkdirSync(dir, { recursive: true });
  const boot = randomUUID().slice(0, 8);
  let n = 0;
  let fd: number | undefined;
  let current: string | undefined;
  return {
    boot,
    append(line) {
      if (fd === undefined) {
        current = join(dir, `${process.pid}-${boot}-${++n}.jsonl`);
        fd = openSync(current, "a");
      }
      writeSync(fd, line + "\n");
    },
    rotate() {
      if (fd === undefined) return undefined;
      closeSync(fd);
      fd = undefined;
      return current;
    },
    remove(file) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** Files left by processes that are gone (or by an earlier life of this pid), with their rows. */
export function leftovers(dir: string, ownBoot?: string): { file: string; lines: string[] }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: { file: string; lines: string[] }[] = [];
  for (const name of names) {
    const m = FILE.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (m[2] === ownBoot || (pid !== process.pid && alive(pid))) continue;
    const file = join(dir, name);
    // A line cut off by the kill is not a row: it was never acknowledged to a caller either.
    const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.endsWith("}"));
    out.push({ file, lines });
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
