// The ingest service's handler: on `edition.requested`, the scout reads every feed and the
// curator turns the items into candidate stories; stories, sources, the edition's new status
// and notes, and the events they cause are committed together.
import { inStoryTrace, startStoryTrace } from "@newsroom/platform/telemetry/story-trace";
import { createHash } from "node:crypto";
import type { Transaction } from "kysely";
import { PermanentError } from "@newsroom/platform/bus/types";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import { configSchema, type FeedConfig, type NewsroomConfig } from "@newsroom/platform/config/schema";
import type { Database, Edition } from "@newsroom/platform/db/schema";
import { loadEdition, MissingRowError } from "@newsroom/platform/editorial/material";
import { appendNotes, type EditionNote } from "@newsroom/platform/editorial/notes";
import { editionSettings } from "@newsroom/platform/editorial/settings";
import type { Emit, HandlerContext, Registration } from "@newsroom/platform/handler";
import { consume } from "@newsroom/platform/handler";
import type { Logger } from "@newsroom/platform/log";
import { identity } from "./cluster.js";
import { curate, type CandidateStory, type Curation } from "./roles/curator.js";
import { feedStateTable } from "./feed-state.js";
import { scoutFeeds, type FeedReport, type ScoutDeps } from "./roles/scout.js";
import { listFeedSources, type FeedProblem } from "./sources.js";

export interface IngestDeps {
  config: LoadedConfig;
  log?: Logger;
  /** Replaces the HTTP fetch (tests). */
  fetchImpl?: ScoutDeps["fetchImpl"];
  /** Minutes a source clock may run ahead of the edition's now. */
  futureSkewMinutes?: number;
}

/** Notes list at most this many out-of-window items (the count is always complete). */
const NOTED_ITEMS = 50;

export function ingestHandlers(deps: IngestDeps): Registration[] {
  return [consume("ingest", "edition.requested", (_event, ctx) => ingestEdition(ctx, deps), { ackWaitMs: 120_000 })];
}

/** Deterministic from edition and cluster: a redelivered event makes the same ids. */
export function storyId(editionId: string, clusterKey: string): string {
  return `st_${sha1(`${editionId}\n${clusterKey}`).slice(0, 20)}`;
}

export async function ingestEdition(ctx: HandlerContext, deps: IngestDeps): Promise<void> {
  const editionId = ctx.meta.editionId;
  let edition: Edition;
  try {
    edition = await loadEdition(ctx.db, editionId);
  } catch (err) {
    if (err instanceof MissingRowError) throw new PermanentError(err.message);
    throw err;
  }
  const settings = editionSettings(edition, deps.config.edition);
  const { feeds, fetch } = feedSettings(edition, deps.config);
  if (edition.status === "requested") await ctx.db.updateTable("editions").set({ status: "ingesting" }).where("id", "=", editionId).where("status", "=", "requested").execute();

  const { sources, problems } = await listFeedSources(feeds, fetch.max_bytes);
  await ctx.progress("ingest", `reading ${sources.length} feed${sources.length === 1 ? "" : "s"}`);
  const keepAlive = setInterval(() => ctx.working(), 5_000);
  let scouted;
  try {
    scouted = await scoutFeeds(sources, { fetch, state: feedStateTable(ctx.db), fetchImpl: deps.fetchImpl, onActivity: throttle(() => ctx.working(), 1_000) });
  } finally {
    clearInterval(keepAlive);
  }
  for (const r of scouted.reports) await ctx.progress("ingest", describeReport(r));
  for (const p of problems) await ctx.progress("ingest", p.error);

  const notes = feedNotes(scouted.reports, problems);
  const readable = scouted.reports.filter((r) => !r.error);
  if (!readable.length) {
    const message = `every feed failed (${scouted.reports.length + problems.length}); no stories`;
    deps.log?.error(message, { editionId });
    await ctx.progress("ingest", message);
    await ctx.commit(async (tx) => {
      await appendNotes(tx, editionId, [...notes, { kind: "ingest_failed", message }]);
      await tx.updateTable("editions").set({ status: "failed" }).where("id", "=", editionId).execute();
    });
    return;
  }

  const curation = curate(scouted.items, { now: new Date(edition.now), windowHours: settings.window_hours, futureSkewMinutes: deps.futureSkewMinutes });
  notes.push(...windowNotes(curation, settings.window_hours));
  const summary = `${curation.stories.length} candidate stories from ${scouted.items.length} items (${curation.outOfWindow.length} outside the ${settings.window_hours} h window, ${curation.duplicates.length} duplicates)`;
  await ctx.progress("ingest", summary);
  deps.log?.info(summary, { editionId });

  await ctx.commit(async (tx, emit) => {
    for (const story of curation.stories) await insertStory(tx, emit, editionId, story);
    await appendNotes(tx, editionId, notes);
    await tx.updateTable("editions").set({ status: "editing" }).where("id", "=", editionId).execute();
    await emit("edition.ingested", { candidateCount: curation.stories.length }, { editionId, key: `ingested:${editionId}` });
  });
}

async function insertStory(tx: Transaction<Database>, emit: Emit, editionId: string, story: CandidateStory): Promise<void> {
  const id = storyId(editionId, story.clusterKey);
  const traceContext = startStoryTrace({ editionId, storyId: id, title: story.title });
  await tx
    .insertInto("stories")
    .values({
      id,
      edition_id: editionId,
      cluster_key: story.clusterKey,
      title: story.title,
      summary: clip(story.summary, 2_000),
      language: story.language,
      first_published: story.firstPublished,
      source_count: story.sources.length,
      status: "candidate",
      trace_context: traceContext.traceparent ? JSON.stringify(traceContext) : null,
    })
    .execute();
  await tx
    .insertInto("sources")
    .values(
      story.sources.map((s) => ({
        id: `src_${sha1(`${id}\n${identity(s)}`).slice(0, 20)}`,
        story_id: id,
        edition_id: editionId,
        feed: s.feed,
        feed_title: s.feedTitle || null,
        url: s.link ?? null,
        guid: s.guid ?? null,
        title: s.title,
        // The fuller text is what scripts are grounded in and checked against.
        text: s.content.length > s.summary.length ? s.content : s.summary,
        language: s.language,
        published_at: s.published,
      })),
    )
    .execute();
  await inStoryTrace(traceContext, () =>
    emit(
      "story.ingested",
      { title: story.title, sourceCount: story.sources.length, firstPublished: story.firstPublished },
      { editionId, storyId: id, key: `ingested:${id}` },
    ),
  );
}

/** Feeds and fetch settings from the edition's config snapshot (a running edition ignores config edits), else the process's. */
function feedSettings(edition: Edition, config: LoadedConfig): { feeds: FeedConfig[]; fetch: NewsroomConfig["fetch"] } {
  const snapshot = (edition.config ?? {}) as { feeds?: unknown; fetch?: unknown };
  const feeds = configSchema.shape.feeds.safeParse(snapshot.feeds);
  const fetch = configSchema.shape.fetch.safeParse(snapshot.fetch);
  return { feeds: feeds.success ? feeds.data : config.feeds, fetch: fetch.success ? fetch.data : config.fetch };
}

function feedNotes(reports: FeedReport[], problems: FeedProblem[]): EditionNote[] {
  const notes: EditionNote[] = problems.map((p) => ({ kind: "feed_error", message: p.error, feed: p.feed, error: p.error }));
  for (const r of reports) {
    if (r.error) notes.push({ kind: "feed_error", message: r.error, feed: r.feed, error: r.error });
    else if (r.bozo) notes.push({ kind: "feed_warning", message: `feed ${r.feed}: read leniently (${r.warnings[0] ?? "ill-formed"})`, feed: r.feed, warnings: r.warnings.slice(0, 5) });
  }
  return notes;
}

function windowNotes(curation: Curation, windowHours: number): EditionNote[] {
  if (!curation.outOfWindow.length) return [];
  return [
    {
      kind: "out_of_window",
      message: `${curation.outOfWindow.length} items left out by timestamp: outside the ${windowHours} h window or undated`,
      count: curation.outOfWindow.length,
      items: curation.outOfWindow.slice(0, NOTED_ITEMS).map(({ item, reason }) => ({
        feed: item.feed,
        title: item.title,
        url: item.link ?? null,
        published: item.published?.toISOString() ?? null,
        reason,
      })),
    },
  ];
}

function describeReport(r: FeedReport): string {
  if (r.error) return r.error;
  const extra = [r.notModified ? "not modified" : "", r.bozo ? "read leniently" : ""].filter(Boolean).join(", ");
  return `feed ${r.feed}: ${r.items} items${extra ? ` (${extra})` : ""}`;
}

function throttle(fn: () => void, ms: number): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last >= ms) {
      last = now;
      fn();
    }
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}
