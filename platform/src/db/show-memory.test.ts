// Migration 0013_show_memory on a database that has editions already: each gets its show from
// its stored config, as the publisher names the show (podcast.slug, else from the title).
import { Migrator } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { showSlug } from "../editions/show-slug.js";
import { migrate, openDatabase, type Db } from "./connect.js";
import { migrations } from "./migrations.js";

let db: Db | undefined;
afterAll(async () => db?.destroy());

describe("migration 0013_show_memory", () => {
  it("names the show of editions made before it", async () => {
    db = await openDatabase({ dataDir: "memory://" });
    const before = { async getMigrations() { const all = await migrations.getMigrations(); delete all["0013_show_memory"]; return all; } };
    const { error } = await new Migrator({ db, provider: before, allowUnorderedMigrations: true }).migrateToLatest();
    expect(error).toBeUndefined();
    const edition = (id: string, config: unknown) => ({ id, slot: "morning", language: "zh", status: "published", now: new Date(), deadline_at: new Date(), config: JSON.stringify(config), notes: "[]" });
    await db.insertInto("editions").values([edition("a", { podcast: { title: "新闻早晚报" } }), edition("b", { podcast: { title: "Briefing", slug: "city-news" } }), edition("c", {})] as never).execute();
    expect(await migrate(db)).toEqual(["0013_show_memory"]);
    const rows = await db.selectFrom("editions").select(["id", "show_slug"]).orderBy("id").execute();
    expect(rows).toEqual([
      { id: "a", show_slug: showSlug({ podcast: { title: "新闻早晚报" } as never }) },
      { id: "b", show_slug: "city-news" },
      { id: "c", show_slug: null },
    ]);
    expect(rows[0].show_slug).toMatch(/^show-[0-9a-f]{10}$/);
  }, 120_000);
});
