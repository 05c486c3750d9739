// The cost ledger: one model_calls row per model or speech request, for the chat router and the
// voice service alike. Recording costs the caller no database round trip: the row goes to the
// crash journal (./journal.ts) and a buffer, and is written behind in batches (every `flushMs`,
// when the buffer is full, before a handler commits, and at close). The edition's spend for the
// budget check is a running total kept here: read from the database on first use, kept up to
// date by this process's own rows, and re-read at most every `reconcileMs` (one query shared
// by the calls that find it stale), so other replicas' spending is seen within that time.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../db/connect.js";
import type { NewModelCall } from "../db/schema.js";
import { createLogger, type Logger } from "../log.js";
import { leftovers, openJournal, type Journal } from "./journal.js";

/** A row as callers give it; the ledger adds its call id and time. */
export type LedgerRow = Omit<NewModelCall, "id" | "call_id" | "created_at">;

export interface LedgerOptions {
  /** Crash journal folder; without it, rows waiting to be written are lost if the process is killed. */
  journalDir?: string;
  flushMs?: number;
  /** Rows that trigger a write at once. */
  batch?: number;
  reconcileMs?: number;
  log?: Logger;
}

export interface Ledger {
  /** Buffers the row (and journals it); never throws, never waits for the database. */
  record(row: LedgerRow): void;
  /** The edition's spend so far, every replica's rows included (theirs as of the last reconcile). */
  spent(editionId: string): Promise<number>;
  /** Writes every row recorded so far; resolves when they are in the database. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_FLUSH_MS = 50;
export const DEFAULT_RECONCILE_MS = 2_000;
const INSERT_CHUNK = 500;

type Stored = NewModelCall & { call_id: string; created_at: Date };

interface Spend {
  /** Database total minus this process's rows counted in it, as of `at`. */
  base: number;
  at: number;
  refreshing?: Promise<void>;
}

export function createLedger(db: Db, opts: LedgerOptions = {}): Ledger {
  const log = opts.log ?? createLogger("ledger");
  const flushMs = opts.flushMs ?? DEFAULT_FLUSH_MS;
  const batch = opts.batch ?? 200;
  const reconcileMs = opts.reconcileMs ?? DEFAULT_RECONCILE_MS;
  let journal: Journal | undefined;
  if (opts.journalDir) {
    try {
      journal = openJournal(opts.journalDir);
    } catch (err) {
      log.warn(`ledger journal folder ${opts.journalDir} cannot be written (${(err as Error).message}): rows not yet written are lost if the process is killed`);
    }
  }
  let buffer: Stored[] = [];
  let pendingFiles: string[] = [];
  /** This process's spend per edition since it started (rows buffered or written). */
  const own = new Map<string, number>();
  const spends = new Map<string, Spend>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // Writes, re-reads and the journal replay run one after another.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => {});
    return next;
  };

  // On PGlite the dialect's lock gives each statement its turn (platform/src/db/pglite.ts).
  const insert = async (rows: NewModelCall[]) => {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK)
      await db
        .insertInto("model_calls")
        .values(rows.slice(i, i + INSERT_CHUNK))
        .onConflict((oc) => oc.column("call_id").doNothing())
        .execute();
  };

  const writeNow = async () => {
      clearTimeout(timer);
      timer = undefined;
      if (!buffer.length) return;
      const rows = buffer;
      const file = journal?.rotate();
      buffer = [];
      if (file) pendingFiles.push(file);
      const files = pendingFiles;
      pendingFiles = [];
      try {
        await insert(rows);
        for (const f of files) journal?.remove(f);
      } catch (err) {
        const message = (err as Error).message;
        if (/destroyed|has been closed|ended/i.test(message)) {
          // The database was closed under the ledger: no later write can succeed (a journal keeps them for the next start).
          log.error(`could not write ${rows.length} ledger rows: the database is closed (${message})${journal ? "; they stay in the journal" : ""}`);
          return;
        }
        // Kept (and still journaled) for the next write.
        buffer = [...rows, ...buffer];
        pendingFiles = [...files, ...pendingFiles];
        log.error(`could not write ${rows.length} ledger rows, retrying: ${message}`);
        schedule(1_000);
        throw err;
      }
  };
  const write = () => serial(writeNow);

  const schedule = (ms = flushMs) => {
    if (timer || closed) return;
    timer = setTimeout(() => void write().catch(() => {}), ms);
    timer.unref();
  };

  const refresh = (editionId: string) =>
    serial(async () => {
      // Our rows up to now go in first, so the total below counts each of them exactly once.
      if (buffer.length) await writeNow().catch(() => {});
      const mine = own.get(editionId) ?? 0;
      const row = await db
        .selectFrom("model_calls")
        .select(sql<number>`coalesce(sum(cost_usd), 0)::float8`.as("spent"))
        .where("edition_id", "=", editionId)
        .executeTakeFirst();
      const entry = spends.get(editionId);
      const base = Number(row?.spent ?? 0) - mine;
      if (entry) Object.assign(entry, { base, at: Date.now() });
      else spends.set(editionId, { base, at: Date.now() });
    });

  // Rows a killed process journaled but never wrote.
  if (opts.journalDir && journal) {
    const dir = opts.journalDir;
    const boot = journal.boot;
    void serial(async () => {
      for (const { file, lines } of leftovers(dir, boot)) {
        const rows = lines.map((l) => revive(JSON.parse(l)));
        if (rows.length) await insert(rows);
        journal?.remove(file);
        if (rows.length) log.info(`wrote ${rows.length} rows left in the journal by a process that stopped before writing them`);
      }
    }).catch((err) => log.error(`ledger journal replay failed (the files are kept for the next start): ${(err as Error).message}`));
  }

  return {
    record(row) {
      if (closed) {
        log.warn("ledger row recorded after close: written at once");
      }
      const stored: Stored = { ...row, call_id: randomUUID(), created_at: new Date() };
      try {
        journal?.append(JSON.stringify(stored));
      } catch (err) {
        log.warn(`ledger journal append failed: ${(err as Error).message}`);
      }
      buffer.push(stored);
      if (row.edition_id) own.set(row.edition_id, (own.get(row.edition_id) ?? 0) + Number(row.cost_usd ?? 0));
      if (closed || buffer.length >= batch) void write().catch(() => {});
      else schedule();
    },
    async spent(editionId) {
      let s = spends.get(editionId);
      // First use, or another replica may have spent meanwhile: re-read (one query per edition
      // per reconcileMs, shared by every caller waiting for it).
      if (!s || Date.now() - s.at >= reconcileMs) {
        const entry = s ?? { base: 0, at: 0 };
        if (!s) spends.set(editionId, entry);
        entry.refreshing ??= refresh(editionId).finally(() => (entry.refreshing = undefined));
        await entry.refreshing;
        s = spends.get(editionId)!;
      }
      return s.base + (own.get(editionId) ?? 0);
    },
    flush: () => write(),
    async close() {
      if (closed) return;
      await write().catch(() => {});
      closed = true;
      clearTimeout(timer);
      journal?.close();
    },
  };
}

function revive(o: Stored): Stored {
  return { ...o, created_at: new Date(o.created_at) };
}

const ledgers = new WeakMap<Db, Ledger>();

/**
 * The ledger of this database in this process (one per database, shared by the router, the voice
 * service and the runner). The service runner opens it with a journal; elsewhere (tests, tools)
 * it is opened without one on first use.
 */
export function ledgerFor(db: Db): Ledger {
  let l = ledgers.get(db);
  if (!l) ledgers.set(db, (l = createLedger(db)));
  return l;
}

/** Opens this database's ledger with these options (replacing a default one, after writing its rows). */
export function openLedger(db: Db, opts: LedgerOptions): Ledger {
  const before = ledgers.get(db);
  if (before) void before.close();
  const l = createLedger(db, opts);
  ledgers.set(db, l);
  return l;
}

/** Writes what is buffered and forgets the ledger (before the database closes). */
export async function closeLedger(db: Db): Promise<void> {
  const l = ledgers.get(db);
  ledgers.delete(db);
  await l?.close();
}
