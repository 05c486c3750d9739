// Table types for kysely: the one place the shape of every table is declared.
// Migrations in ./migrations.ts create exactly these columns.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Persona } from "../config/schema.js";
import type { SlotName } from "../editions/slot.js";
import type { EditionNote } from "../editorial/notes.js";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export type EditionStatus = "requested" | "ingesting" | "editing" | "producing" | "published" | "failed";
export type StoryStatus = "candidate" | "selected" | "drafting" | "reviewing" | "approved" | "voiced" | "dropped";
export type CallOutcome = "ok" | "error" | "timeout" | "truncated" | "invalid" | "fell_back" | "continued" | "refused";

export interface EditionsTable {
  id: string;
  slot: SlotName;
  language: "zh" | "en" | "bilingual";
  status: EditionStatus;
  now: Timestamp;
  deadline_at: Timestamp;
  /** The resolved config the edition was made with (secrets are never in it: only env var names). */
  config: Json<unknown>;
  lineup_size: number | null;
  intro_script_id: string | null;
  outro_script_id: string | null;
  location: string | null;
  duration_ms: number | null;
  /** What the page says about how the edition was made: left-out stories, offline provider, warnings. */
  notes: Json<EditionNote[]>;
  created_at: CreatedAt;
  published_at: Timestamp | null;
  /** The show the edition belongs to (podcast slug, editions/show-slug.ts): memory across editions is per show. */
  show_slug: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface StoriesTable {
  id: string;
  edition_id: string;
  cluster_key: string;
  title: string;
  summary: string;
  language: string;
  first_published: Timestamp;
  source_count: number;
  rank: number | null;
  headline: string | null;
  status: StoryStatus;
  drop_reason: string | null;
  /** W3C context of the story's own trace (see telemetry/story-trace.ts); null when tracing is off. */
  trace_context: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  /** Camps (comma-separated) whose review the story went without because none of their models could be reached. */
  reviewed_without: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set when the story aired before in the same show and airs again for its new sources (lineup/memory.ts). */
  update_of: ColumnType<AiredBefore | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

/** The earlier airing a story updates: what the writer is told, and what the update frame says. */
export interface AiredBefore {
  story_id: string;
  edition_id: string;
  slot: SlotName;
  /** The earlier edition's "now" (ISO): sources published after it are the new developments. */
  aired_at: string;
  headline: string;
  /** The aired script's spoken text (its last version). */
  script: string;
  /** Ids of this story's sources published after aired_at. */
  new_sources: string[];
}

export interface SourcesTable {
  id: string;
  story_id: string;
  edition_id: string;
  feed: string;
  feed_title: string | null;
  url: string | null;
  guid: string | null;
  title: string;
  text: string;
  language: string;
  published_at: Timestamp;
  created_at: CreatedAt;
}

export interface ScriptLine {
  speaker: Persona;
  text: string;
  /** Language of this line when it differs from the script's (bilingual editions). */
  lang?: "zh" | "en";
}

export interface ScriptsTable {
  id: string;
  edition_id: string;
  /** Null for intro and outro. */
  story_id: string | null;
  kind: "story" | "intro" | "outro" | "transition";
  version: number;
  language: string;
  headline: string | null;
  /** Spoken lines in order; one speaker for one-anchor editions. */
  lines: Json<ScriptLine[]>;
  provider: string;
  model: string;
  camp: string;
  /** How the text was completed: "whole", "continued" (truncation repaired) or "fell_back". */
  completion: string;
  created_at: CreatedAt;
}

export interface ReviewsTable {
  id: string;
  edition_id: string;
  story_id: string | null;
  script_id: string | null;
  role: string;
  verdict: string;
  reason: string;
  evidence: Json<unknown[]>;
  provider: string;
  model: string;
  camp: string;
  disagreement: boolean;
  /** Set when a rule overruled this verdict (e.g. "old news" with no evidence). */
  overruled_reason: string | null;
  created_at: CreatedAt;
}

export interface SegmentsTable {
  id: string;
  edition_id: string;
  story_id: string | null;
  script_id: string;
  seq: number;
  speaker: string;
  text: string;
  provider: string;
  voice: string;
  sample_rate: number;
  /** 16-bit little-endian mono PCM. */
  pcm: Buffer;
  duration_ms: number;
  expected_ms: number;
  attempts: number;
  created_at: CreatedAt;
}

export interface ModelCallsTable {
  id: Generated<number>;
  edition_id: string | null;
  story_id: string | null;
  role: string;
  kind: "chat" | "tts";
  provider: string;
  model: string;
  camp: string;
  input_tokens: number;
  output_tokens: number;
  tokens_estimated: boolean;
  characters: number;
  cost_usd: number;
  latency_ms: number;
  outcome: CallOutcome;
  error_class: string | null;
  note: string | null;
  /** Unique per request (set by the ledger); a row replayed from the crash journal is not written twice. */
  call_id: string | null;
  created_at: CreatedAt;
}

export interface OutboxTable {
  id: Generated<string>;
  subject: string;
  payload: Buffer;
  /** W3C trace context and other headers, captured when the row was written. */
  headers: Json<Record<string, string>>;
  created_at: CreatedAt;
  published_at: Timestamp | null;
}

export interface ProcessedEventsTable {
  consumer: string;
  key: string;
  processed_at: CreatedAt;
}

export interface DeadLettersTable {
  id: Generated<number>;
  consumer: string;
  subject: string;
  payload: Buffer;
  headers: Json<Record<string, string>>;
  reason: string;
  deliveries: number;
  created_at: CreatedAt;
  replayed_at: Timestamp | null;
}

export interface FeedStateTable {
  url: string;
  etag: string | null;
  last_modified: string | null;
  /** The last body fetched, so a 304 still yields items. */
  body: Buffer | null;
  content_type: string | null;
  fetched_at: Timestamp;
}

export interface EditionEventsTable {
  id: Generated<number>;
  edition_id: string;
  story_id: string | null;
  stage: string;
  status: string;
  message: string;
  at: CreatedAt;
}

/** A show (one podcast feed), identified by podcast.slug; its podcast:guid never changes. */
export interface ShowsTable {
  slug: string;
  podcast_guid: string;
  created_at: CreatedAt;
}

export type ReportKind = "wrong_fact" | "old_news" | "cut_off" | "audio_problem" | "other";
export type ReportStatus = "filed" | "upheld" | "rejected";

/** What an upheld report makes: the line read at the top of the show's next edition, per language part. */
export interface Correction {
  /** The aired story's headline. */
  headline: string;
  /** "zh" and/or "en": what the anchor reads ("更正：…" / "A correction: …"). */
  lines: Partial<Record<"zh" | "en", string>>;
}

/** A listener's report on one aired story (issue 10), and the decision on it. */
export interface ReportsTable {
  id: string;
  edition_id: string;
  story_id: string;
  /** The script that aired, and its version. */
  script_id: string;
  script_version: number;
  /** podcast.slug of the edition's show: the correction is read in that show's next edition. */
  show_slug: string;
  kind: ReportKind;
  /** The listener's note (at most 500 characters), "" when none. */
  note: ColumnType<string, string | undefined, string>;
  status: ColumnType<ReportStatus, ReportStatus | undefined, ReportStatus>;
  reason: string | null;
  /** "corrections_desk" or "operator". */
  decided_by: string | null;
  decided_at: Timestamp | null;
  correction: ColumnType<Correction | null, string | null | undefined, string | null>;
  /** The edition whose intro read the correction. */
  corrected_in: string | null;
  /** When the corrected edition's page and edition.json got the note. */
  page_noted_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface Database {
  editions: EditionsTable;
  stories: StoriesTable;
  sources: SourcesTable;
  scripts: ScriptsTable;
  reviews: ReviewsTable;
  segments: SegmentsTable;
  model_calls: ModelCallsTable;
  outbox: OutboxTable;
  processed_events: ProcessedEventsTable;
  dead_letters: DeadLettersTable;
  feed_state: FeedStateTable;
  edition_events: EditionEventsTable;
  shows: ShowsTable;
  listen_sessions: ListenSessionsTable;
  listen_editions: ListenEditionsTable;
  listen_stories: ListenStoriesTable;
  listen_downloads: ListenDownloadsTable;
  download_salts: DownloadSaltsTable;
  reports: ReportsTable;
}

export type Edition = Selectable<EditionsTable>;
export type Story = Selectable<StoriesTable>;
export type Source = Selectable<SourcesTable>;
export type Script = Selectable<ScriptsTable>;
export type NewScript = Insertable<ScriptsTable>;
export type Review = Selectable<ReviewsTable>;
export type NewReview = Insertable<ReviewsTable>;
export type Segment = Selectable<SegmentsTable>;
export type NewModelCall = Insertable<ModelCallsTable>;
export type Report = Selectable<ReportsTable>;
export type EditionUpdate = Updateable<EditionsTable>;

/** One page load's listening: how far it got. `session` is random per page load, never an address. */
export interface ListenSessionsTable {
  edition_id: string;
  session: string;
  furthest_ms: number;
  completed: boolean;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Per edition: sessions that started and completed it, and downloads (one per client a day). */
export interface ListenEditionsTable {
  edition_id: string;
  started: ColumnType<number, number | undefined, number>;
  completed: ColumnType<number, number | undefined, number>;
  downloads: ColumnType<number, number | undefined, number>;
}

/** Per story of an edition: sessions that reached its start and that heard it to its end. */
export interface ListenStoriesTable {
  edition_id: string;
  story_id: string;
  reached: ColumnType<number, number | undefined, number>;
  finished: ColumnType<number, number | undefined, number>;
}

/** A counted download: the client is a hash salted with its day's salt, which is deleted after the day. */
export interface ListenDownloadsTable {
  edition_id: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  client: string;
}

/** The day's random salt for download client hashes; days before today are deleted. */
export interface DownloadSaltsTable {
  day: string;
  salt: Buffer;
}
