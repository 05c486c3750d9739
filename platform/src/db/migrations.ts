// Schema migrations, run the same way on Postgres and PGlite.
import { type Kysely, type Migration, type MigrationProvider, sql } from "kysely";
import { showSlug } from "../editions/show-slug.js";

const initial: Migration = {
  async up(db: Kysely<any>) {
    const now = sql`now()`;
    await db.schema
      .createTable("editions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("slot", "text", (c) => c.notNull())
      .addColumn("language", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("now", "timestamptz", (c) => c.notNull())
      .addColumn("deadline_at", "timestamptz", (c) => c.notNull())
      .addColumn("config", "jsonb", (c) => c.notNull())
      .addColumn("lineup_size", "integer")
      .addColumn("intro_script_id", "text")
      .addColumn("outro_script_id", "text")
      .addColumn("location", "text")
      .addColumn("duration_ms", "integer")
      .addColumn("notes", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .addColumn("published_at", "timestamptz")
      .execute();

    await db.schema
      .createTable("stories")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("edition_id", "text", (c) => c.notNull().references("editions.id").onDelete("cascade"))
      .addColumn("cluster_key", "text", (c) => c.notNull())
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("summary", "text", (c) => c.notNull())
      .addColumn("language", "text", (c) => c.notNull())
      .addColumn("first_published", "timestamptz", (c) => c.notNull())
      .addColumn("source_count", "integer", (c) => c.notNull())
      .addColumn("rank", "integer")
      .addColumn("headline", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("drop_reason", "text")
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .addUniqueConstraint("stories_edition_cluster", ["edition_id", "cluster_key"])
      .execute();

    await db.schema
      .createTable("sources")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("story_id", "text", (c) => c.notNull().references("stories.id").onDelete("cascade"))
      .addColumn("edition_id", "text", (c) => c.notNull())
      .addColumn("feed", "text", (c) => c.notNull())
      .addColumn("feed_title", "text")
      .addColumn("url", "text")
      .addColumn("guid", "text")
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("text", "text", (c) => c.notNull())
      .addColumn("language", "text", (c) => c.notNull())
      .addColumn("published_at", "timestamptz", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .execute();

    await db.schema
      .createTable("scripts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("edition_id", "text", (c) => c.notNull().references("editions.id").onDelete("cascade"))
      .addColumn("story_id", "text")
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("language", "text", (c) => c.notNull())
      .addColumn("headline", "text")
      .addColumn("lines", "jsonb", (c) => c.notNull())
      .addColumn("provider", "text", (c) => c.notNull())
      .addColumn("model", "text", (c) => c.notNull())
      .addColumn("camp", "text", (c) => c.notNull())
      .addColumn("completion", "text", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .execute();
    await db.schema
      .createIndex("scripts_story_version")
      .on("scripts")
      .columns(["edition_id", "kind", "story_id", "version"])
      .unique()
      .execute();

    await db.schema
      .createTable("reviews")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("edition_id", "text", (c) => c.notNull().references("editions.id").onDelete("cascade"))
      .addColumn("story_id", "text")
      .addColumn("script_id", "text")
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("verdict", "text", (c) => c.notNull())
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("evidence", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn("provider", "text", (c) => c.notNull())
      .addColumn("model", "text", (c) => c.notNull())
      .addColumn("camp", "text", (c) => c.notNull())
      .addColumn("disagreement", "boolean", (c) => c.notNull().defaultTo(false))
      .addColumn("overruled_reason", "text")
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .execute();

    await db.schema
      .createTable("segments")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("edition_id", "text", (c) => c.notNull().references("editions.id").onDelete("cascade"))
      .addColumn("story_id", "text")
      .addColumn("script_id", "text", (c) => c.notNull())
      .addColumn("seq", "integer", (c) => c.notNull())
      .addColumn("speaker", "text", (c) => c.notNull())
      .addColumn("text", "text", (c) => c.notNull())
      .addColumn("provider", "text", (c) => c.notNull())
      .addColumn("voice", "text", (c) => c.notNull())
      .addColumn("sample_rate", "integer", (c) => c.notNull())
      .addColumn("pcm", "bytea", (c) => c.notNull())
      .addColumn("duration_ms", "integer", (c) => c.notNull())
      .addColumn("expected_ms", "integer", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .addUniqueConstraint("segments_script_seq", ["script_id", "seq"])
      .execute();

    await db.schema
      .createTable("model_calls")
      .addColumn("id", "bigserial", (c) => c.primaryKey())
      .addColumn("edition_id", "text")
      .addColumn("story_id", "text")
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("provider", "text", (c) => c.notNull())
      .addColumn("model", "text", (c) => c.notNull())
      .addColumn("camp", "text", (c) => c.notNull())
      .addColumn("input_tokens", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("output_tokens", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("tokens_estimated", "boolean", (c) => c.notNull().defaultTo(false))
      .addColumn("characters", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("cost_usd", "double precision", (c) => c.notNull().defaultTo(0))
      .addColumn("latency_ms", "integer", (c) => c.notNull())
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("error_class", "text")
      .addColumn("note", "text")
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .execute();
    await db.schema.createIndex("model_calls_edition").on("model_calls").column("edition_id").execute();

    await db.schema
      .createTable("outbox")
      .addColumn("id", "bigserial", (c) => c.primaryKey())
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("payload", "bytea", (c) => c.notNull())
      .addColumn("headers", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .addColumn("published_at", "timestamptz")
      .execute();
    await sql`CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL`.execute(db);

    await db.schema
      .createTable("processed_events")
      .addColumn("consumer", "text", (c) => c.notNull())
      .addColumn("key", "text", (c) => c.notNull())
      .addColumn("processed_at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint("processed_events_pk", ["consumer", "key"])
      .execute();

    await db.schema
      .createTable("dead_letters")
      .addColumn("id", "bigserial", (c) => c.primaryKey())
      .addColumn("consumer", "text", (c) => c.notNull())
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("payload", "bytea", (c) => c.notNull())
      .addColumn("headers", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("deliveries", "integer", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .addColumn("replayed_at", "timestamptz")
      .execute();

    await db.schema
      .createTable("feed_state")
      .addColumn("url", "text", (c) => c.primaryKey())
      .addColumn("etag", "text")
      .addColumn("last_modified", "text")
      .addColumn("body", "bytea")
      .addColumn("content_type", "text")
      .addColumn("fetched_at", "timestamptz", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("edition_events")
      .addColumn("id", "bigserial", (c) => c.primaryKey())
      .addColumn("edition_id", "text", (c) => c.notNull())
      .addColumn("story_id", "text")
      .addColumn("stage", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("message", "text", (c) => c.notNull())
      .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .execute();
    await db.schema.createIndex("edition_events_edition").on("edition_events").columns(["edition_id", "id"]).execute();
  },
};

const storyTraces: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable("stories").addColumn("trace_context", "jsonb").execute();
  },
};

/** Issue 10: each show's podcast:guid, assigned at its first feed and kept from then on. */
const listeners: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("shows")
      .addColumn("slug", "text", (c) => c.primaryKey())
      .addColumn("podcast_guid", "text", (c) => c.notNull().unique())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  },
};

/** Issue 12: ledger rows are written behind, from a crash journal: a call id keeps a replayed row from being written twice. */
const ledgerCallIds: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable("model_calls").addColumn("call_id", "text").execute();
    await db.schema.createIndex("model_calls_call_id").unique().on("model_calls").column("call_id").execute();
  },
};

/** Issue 8: a story reviewed while a whole camp was down says which camp it went without. */
const trustNobody: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable("stories").addColumn("reviewed_without", "text").execute();
  },
};

/**
 * Issue 10: listening, aggregated from the site's beacons. A session is one page load's random id
 * (no cookie, no address); the per-edition and per-story counters move once per session.
 * Downloads keep a client hash salted per day; the day's salt is deleted after the day.
 */
const listens: Migration = {
  async up(db: Kysely<any>) {
    const now = sql`now()`;
    await db.schema
      .createTable("listen_sessions")
      .addColumn("edition_id", "text", (c) => c.notNull())
      .addColumn("session", "text", (c) => c.notNull())
      .addColumn("furthest_ms", "integer", (c) => c.notNull())
      .addColumn("completed", "boolean", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint("listen_sessions_pk", ["edition_id", "session"])
      .execute();
    await db.schema
      .createTable("listen_editions")
      .addColumn("edition_id", "text", (c) => c.primaryKey())
      .addColumn("started", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("completed", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("downloads", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable("listen_stories")
      .addColumn("edition_id", "text", (c) => c.notNull())
      .addColumn("story_id", "text", (c) => c.notNull())
      .addColumn("reached", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("finished", "integer", (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint("listen_stories_pk", ["edition_id", "story_id"])
      .execute();
    await db.schema
      .createTable("listen_downloads")
      .addColumn("edition_id", "text", (c) => c.notNull())
      .addColumn("day", "text", (c) => c.notNull())
      .addColumn("client", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("listen_downloads_pk", ["edition_id", "day", "client"])
      .execute();
    await db.schema
      .createTable("download_salts")
      .addColumn("day", "text", (c) => c.primaryKey())
      .addColumn("salt", "bytea", (c) => c.notNull())
      .execute();
  },
};

/**
 * Issue 9: memory across editions, per show. Each edition names its show (podcast slug), so an
 * edition finds what the same show aired before; a story that airs again as an update names
 * the earlier airing it updates. Editions made before this migration get their show from
 * their stored config.
 */
const showMemory: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable("editions").addColumn("show_slug", "text").execute();
    await db.schema.createIndex("editions_show_now").on("editions").columns(["show_slug", "now"]).execute();
    await db.schema.alterTable("stories").addColumn("update_of", "jsonb").execute();
    const editions = await db.selectFrom("editions").select(["id", "config"]).execute();
    for (const e of editions) {
      const podcast = (e.config as { podcast?: { slug?: string; title?: unknown } } | null)?.podcast;
      if (typeof podcast?.title !== "string") continue;
      await db.updateTable("editions").set({ show_slug: showSlug({ podcast: podcast as never }) }).where("id", "=", e.id).execute();
    }
  },
};

/**
 * Issue 10: listener reports. The site stores each report with the story and the script version
 * that aired; the corrections desk (or an operator) decides it; an upheld one carries the
 * correction read in the show's next edition (corrected_in) and noted on the story's page.
 */
const reports: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("reports")
      .addColumn("id", "text", (c) => c.primaryKey())
      // No foreign keys: a site with a database of its own (the embedded default) collects
      // reports on editions made elsewhere, checked against the published edition.json.
      .addColumn("edition_id", "text", (c) => c.notNull())
      .addColumn("story_id", "text", (c) => c.notNull())
      .addColumn("script_id", "text", (c) => c.notNull())
      .addColumn("script_version", "integer", (c) => c.notNull())
      .addColumn("show_slug", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("status", "text", (c) => c.notNull().defaultTo("filed"))
      .addColumn("reason", "text")
      .addColumn("decided_by", "text")
      .addColumn("decided_at", "timestamptz")
      .addColumn("correction", "jsonb")
      .addColumn("corrected_in", "text")
      .addColumn("page_noted_at", "timestamptz")
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex("reports_show_status").on("reports").columns(["show_slug", "status"]).execute();
    await db.schema.createIndex("reports_edition").on("reports").columns(["edition_id", "story_id"]).execute();
  },
};

/** Pruning of processed_events (runner/processed-pruning.ts) deletes by age: an index spares it a scan of every key. */
const processedByAge: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex("processed_events_processed_at").on("processed_events").column("processed_at").execute();
  },
};

export const migrations: MigrationProvider = {
  async getMigrations() {
    return {
      "0001_initial": initial,
      "0002_story_traces": storyTraces,
      "0008_trust_nobody": trustNobody,
      "0010_listeners": listeners,
      "0012_performance": ledgerCallIds,
      "0013_show_memory": showMemory,
      "0014_listens": listens,
      "0015_reports": reports,
      "0016_processed_by_age": processedByAge,
    };
  },
};
