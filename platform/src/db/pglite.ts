// The embedded database: PGlite (Postgres in WASM) is one database session for the whole process,
// and kysely-pglite hands that session to every caller at once, so a lone statement could run
// inside another caller's open transaction and be rolled back with it. This dialect puts one lock
// on the session: a transaction holds it from BEGIN to COMMIT or ROLLBACK, and every statement
// outside a transaction waits its turn. Inside a transaction, use the transaction (`tx`): a
// statement on the database itself would wait for the lock its own transaction holds.
import type { DatabaseConnection, Dialect, Driver, TransactionSettings } from "kysely";

/** First come, first served; `acquire` resolves to the function that releases. */
class SessionLock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const granted = this.tail.then(() => release);
    this.tail = released;
    return granted;
  }
}

class LockedDriver implements Driver {
  private readonly lock = new SessionLock();
  private readonly releases = new WeakMap<DatabaseConnection, () => void>();

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.lock.acquire();
    try {
      const connection = await this.inner.acquireConnection();
      this.releases.set(connection, release);
      return connection;
    } catch (err) {
      release();
      throw err;
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.releaseConnection(connection);
    } finally {
      this.releases.get(connection)?.();
      this.releases.delete(connection);
    }
  }

  async destroy(): Promise<void> {
    // After the statement or transaction in progress, not in the middle of it.
    const release = await this.lock.acquire();
    try {
      await this.inner.destroy();
    } finally {
      release();
    }
  }
}

/** `inner` (kysely-pglite's dialect) with one lock on its session. */
export function lockedSessionDialect(inner: Dialect): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createDriver: () => new LockedDriver(inner.createDriver()),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
  };
}
