// Drives the editorial pipeline in one process without a bus: handlers run with real
// contexts on a real (PGlite) database, and the outbox rows each commit writes are decoded
// and fed to the next handlers, in order, until nothing is left. What a relay and NATS do in
// production, minus the network.
import { afterAll, beforeAll } from "vitest";
import { parseConfig, type LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import type { Source, Story } from "@newsroom/platform/db/schema";
import { requestEdition } from "@newsroom/ingest/editions/request";
import { decodeEvent, EVENTS, type EventName } from "@newsroom/platform/events";
import type { Registration } from "@newsroom/platform/handler";
import { createLogger } from "@newsroom/platform/log";
import { createRouter, type RouterOptions } from "@newsroom/platform/router/router";
import { encodeOutgoing } from "@newsroom/platform/outbox/write";
import { createHandlerContext } from "@newsroom/platform/runner/context";
import { editorHandlers } from "@newsroom/editor/handlers";
import { factcheckHandlers } from "@newsroom/factcheck/handlers";
import { freshPglite } from "../support/services.js";

export interface Pipeline {
  db: Db;
  config: LoadedConfig;
  registrations: Registration<any>[];
  close(): Promise<void>;
}

const quiet = createLogger("test", () => {});

/**
 * One PGlite database for a test file, opened in beforeAll and closed (with every pipeline
 * opened on it) in afterAll. PGlite start-up takes 20 s and more on a busy machine.
 */
export function usePipelineDb(): { db(): Db; open(yaml: string, env?: NodeJS.ProcessEnv, extra?: Registration<any>[], router?: PipelineRouterOptions): Pipeline } {
  let db: Db | undefined;
  const opened: Pipeline[] = [];
  beforeAll(async () => {
    db = await freshPglite();
  }, 120_000);
  afterAll(async () => {
    for (const p of opened) await p.close();
    await db?.destroy();
  });
  const get = () => {
    if (!db) throw new Error("the database is opened in beforeAll");
    return db;
  };
  return {
    db: get,
    open(yaml, env = {}, extra = [], router = {}) {
      const p = openPipeline(get(), yaml, env, extra, router);
      opened.push(p);
      return p;
    },
  };
}

/** Router settings a test may change: the breaker is off unless asked for (outage tests want it). */
export type PipelineRouterOptions = Pick<RouterOptions, "breaker">;

export function openPipeline(db: Db, yaml: string, env: NodeJS.ProcessEnv = {}, extra: Registration<any>[] = [], opts: PipelineRouterOptions = {}): Pipeline {
  const config = parseConfig(yaml, "/tmp/pipeline-test/newsroom.yaml", env);
  const router = createRouter({ config, db, env, log: quiet, sleep: async () => {}, breaker: opts.breaker ?? false });
  const deps = { config, router: () => router, log: quiet };
  return { db, config, registrations: [...extra, ...editorHandlers(deps), ...factcheckHandlers(deps)], close: () => router.close() };
}

export interface SeedSource {
  feed: string;
  feedTitle?: string;
  title: string;
  text: string;
  language: string;
  hoursAgo: number;
}

export interface SeedStory {
  title: string;
  language: string;
  sources: SeedSource[];
}

/** An edition (through the real request path) with its candidate stories, and the `edition.ingested` that starts the editor. */
export async function seedEdition(p: Pipeline, now: Date, stories: SeedStory[]): Promise<string> {
  const { editionId } = await requestEdition({ db: p.db, config: p.config, now });
  await p.db.transaction().execute(async (tx) => {
    await tx.updateTable("editions").set({ status: "editing" }).where("id", "=", editionId).execute();
    for (const [i, s] of stories.entries()) {
      const storyId = `${editionId}-s${i + 1}`;
      const times = s.sources.map((src) => new Date(now.getTime() - src.hoursAgo * 3_600_000));
      await tx
        .insertInto("stories")
        .values({
          id: storyId,
          edition_id: editionId,
          cluster_key: `c${i + 1}`,
          title: s.title,
          summary: s.sources[0]?.text.slice(0, 200) ?? "",
          language: s.language,
          first_published: new Date(Math.min(...times.map((t) => t.getTime()))),
          source_count: s.sources.length,
          status: "candidate",
        })
        .execute();
      for (const [j, src] of s.sources.entries())
        await tx
          .insertInto("sources")
          .values({
            id: `${storyId}-src${j + 1}`,
            story_id: storyId,
            edition_id: editionId,
            feed: src.feed,
            feed_title: src.feedTitle ?? null,
            url: null,
            guid: null,
            title: src.title,
            text: src.text,
            language: src.language,
            published_at: times[j],
          })
          .execute();
    }
    const payload = encodeOutgoing("edition.ingested", { candidateCount: stories.length }, { editionId, key: `ingested:${editionId}` });
    await tx.insertInto("outbox").values({ subject: "edition.ingested", payload: Buffer.from(payload), headers: "{}" }).execute();
  });
  return editionId;
}

export interface Delivered {
  subject: EventName;
  event: any;
  consumer?: string;
}

/** Delivers every unpublished outbox row to the registrations that consume its subject, until the outbox is empty. */
export async function drive(p: Pipeline, maxDeliveries = 500): Promise<Delivered[]> {
  const seen: Delivered[] = [];
  for (;;) {
    const row = await p.db.selectFrom("outbox").selectAll().where("published_at", "is", null).orderBy("id").limit(1).executeTakeFirst();
    if (!row) return seen;
    await p.db.updateTable("outbox").set({ published_at: new Date() }).where("id", "=", row.id).execute();
    const subject = row.subject as EventName;
    if (!(subject in EVENTS)) throw new Error(`outbox row ${row.id}: unknown subject ${subject}`);
    const event = decodeEvent(subject, new Uint8Array(row.payload));
    seen.push({ subject, event });
    for (const reg of p.registrations.filter((r) => r.event === subject)) {
      if (seen.length > maxDeliveries) throw new Error(`more than ${maxDeliveries} deliveries: a loop?`);
      const meta = event.meta!;
      const ctx = createHandlerContext({ db: p.db, consumer: reg.consumer, meta });
      await reg.handle(event, ctx);
      await ctx.finish();
      seen.push({ subject, event, consumer: reg.consumer });
    }
  }
}

export async function storiesOf(db: Db, editionId: string): Promise<Story[]> {
  return db.selectFrom("stories").selectAll().where("edition_id", "=", editionId).orderBy("id").execute();
}

export async function sourcesOf(db: Db, storyId: string): Promise<Source[]> {
  return db.selectFrom("sources").selectAll().where("story_id", "=", storyId).execute();
}

/** The approved script of each approved story (the last version), keyed by story id. */
export async function approvedScripts(db: Db, editionId: string) {
  const approved = await db.selectFrom("stories").select("id").where("edition_id", "=", editionId).where("status", "=", "approved").execute();
  const out = new Map<string, Awaited<ReturnType<typeof lastScript>>>();
  for (const s of approved) out.set(s.id, await lastScript(db, s.id));
  return out;
}

export async function lastScript(db: Db, storyId: string) {
  const script = await db.selectFrom("scripts").selectAll().where("story_id", "=", storyId).orderBy("version", "desc").executeTakeFirstOrThrow();
  return script;
}

export function spokenText(script: { lines: unknown }): string {
  return (script.lines as { text: string }[]).map((l) => l.text).join("\n");
}
