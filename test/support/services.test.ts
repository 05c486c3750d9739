import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { freshPostgres, need } from "./services.js";

describe("test support", () => {
  it("creates a migrated Postgres database of its own", async () => {
    if (!(await need("postgres"))) return;
    const pg = await freshPostgres();
    try {
      const r = await sql<{ n: number }>`select count(*)::int as n from outbox`.execute(pg.db);
      expect(r.rows[0].n).toBe(0);
    } finally {
      await pg.drop();
    }
  });
});
