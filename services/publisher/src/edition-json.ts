// edition.json: the whole record of how the edition was made. The page is rendered from it,
// so what a listener reads and what a machine reads are the same facts.
import type { LoadedConfig } from "@newsroom/platform/config/load";
import { showAnchors, type Anchor } from "@newsroom/platform/editorial/anchors";
import type { Review, Script, Source } from "@newsroom/platform/db/schema";
import type { EditionAudio } from "./audio.js";
import type { EditionRecord } from "./load.js";
import { safeHref } from "./html.js";
import type { Show } from "./show.js";
import { EDITION_FILES, editionDate, editionTitle } from "./naming.js";
import { readNotes, type EditionNote } from "@newsroom/platform/editorial/notes";
import type { EditionPlan, LeftOutStory, PublishReason } from "./plan.js";
import type { CorrectionDoc } from "./corrections.js";
import { summariseUsage, type UsageSummary } from "./usage.js";

export interface ScriptDoc {
  id: string;
  version: number;
  language: string;
  provider: string;
  model: string;
  camp: string;
  completion: string;
  offline: boolean;
  lines: { speaker: string; text: string; lang?: string }[];
}

export interface SourceDoc {
  title: string;
  url: string | null;
  /** The feed's URL; null for a feed read from a file (a path on the server is never published). */
  feed: string | null;
  feed_title: string | null;
  published_at: string;
}

export interface ReviewDoc {
  role: string;
  verdict: string;
  reason: string;
  evidence: unknown[];
  provider: string;
  model: string;
  camp: string;
  disagreement: boolean;
  overruled: boolean;
  overruled_reason: string | null;
  script_version: number | null;
}

export interface StoryDoc {
  id: string;
  rank: number | null;
  headline: string;
  title: string;
  summary: string;
  start_ms: number;
  end_ms: number;
  script: ScriptDoc;
  sources: SourceDoc[];
  reviews: ReviewDoc[];
  /** Some reviewer disagreed (with the author or another reviewer). */
  disagreement: boolean;
  /** Camps whose review the story went without (none of their models could be reached). */
  reviewed_without: string[];
  /** Upheld listener reports on this story, added once the correction was read on air. */
  corrections?: CorrectionDoc[];
}

export interface LeftOutDoc {
  id: string;
  title: string;
  rank: number | null;
  stage: string;
  reason: string;
}

/** The show this edition belongs to, and its feed by title and public URL. */
export interface ShowDoc {
  slug: string;
  title: string;
  podcast_guid: string;
  feed: { title: string; url: string };
  image: string;
  /** podcast.base_url is a loopback address: the feed's links work only on the machine that made them. */
  loopback_base_url: boolean;
}

export interface EditionDocument {
  id: string;
  title: string;
  podcast: string;
  show: ShowDoc;
  slot: string;
  language: string;
  date: string;
  now: string;
  deadline_at: string;
  published_at: string;
  /** "complete": every lineup story was voiced or dropped; "deadline": published with what was ready. */
  published_because: PublishReason;
  duration_ms: number;
  audio: { file: string; bytes: number; sample_rate: number; gap_ms: number };
  files: typeof EDITION_FILES;
  offline: { used: boolean; providers: string[] };
  /** Who is on air: each persona's name and role (lines name their speaker by persona). */
  anchors: Anchor[];
  intro: (ScriptDoc & { start_ms: number; end_ms: number }) | null;
  outro: (ScriptDoc & { start_ms: number; end_ms: number }) | null;
  stories: StoryDoc[];
  left_out: LeftOutDoc[];
  dropped_before_lineup: LeftOutDoc[];
  /** Reviews not tied to one story (the deputy editor's view of the lineup). */
  edition_reviews: ReviewDoc[];
  usage: UsageSummary;
  notes: { kind: string; message: string }[];
  /** Corrections read at the top of this edition (upheld listener reports on earlier editions of the show). */
  corrections_read?: CorrectionDoc[];
}

export interface EditionDocInput {
  record: EditionRecord;
  plan: EditionPlan;
  audio: Pick<EditionAudio, "durationMs" | "sampleRate" | "gapMs" | "parts">;
  mp3Bytes: number;
  config: LoadedConfig;
  show: Show;
  publishedAt: Date;
  reason: PublishReason;
  /** Notes added by this publication (not yet in the row). */
  extraNotes?: EditionNote[];
}

export function buildEditionDocument(input: EditionDocInput): EditionDocument {
  const { record, plan, audio, config } = input;
  const { edition } = record;
  const offlineProviders = offlineProviderNames(config);
  const isOffline = (provider: string) => offlineProviders.has(provider);
  const timing = new Map(audio.parts.map((p) => [p.id, p]));
  const versions = new Map(record.scripts.map((s) => [s.id, s.version]));
  const reviewDoc = (r: Review): ReviewDoc => ({
    role: r.role,
    verdict: r.verdict,
    reason: r.reason,
    evidence: Array.isArray(r.evidence) ? r.evidence : [],
    provider: r.provider,
    model: r.model,
    camp: r.camp,
    disagreement: r.disagreement,
    overruled: r.overruled_reason !== null,
    overruled_reason: r.overruled_reason,
    script_version: r.script_id ? (versions.get(r.script_id) ?? null) : null,
  });
  const scriptDoc = (s: Script): ScriptDoc => ({
    id: s.id,
    version: s.version,
    language: s.language,
    provider: s.provider,
    model: s.model,
    camp: s.camp,
    completion: s.completion,
    offline: isOffline(s.provider),
    lines: (Array.isArray(s.lines) ? s.lines : []).map((l) => ({ speaker: l.speaker, text: l.text, ...(l.lang ? { lang: l.lang } : {}) })),
  });
  const frame = (kind: "intro" | "outro") => {
    const part = plan.parts.find((p) => p.kind === kind);
    const t = part && timing.get(part.id);
    return part && t ? { ...scriptDoc(part.script), start_ms: t.startMs, end_ms: t.endMs } : null;
  };

  const stories: StoryDoc[] = plan.parts
    .filter((p) => p.kind === "story" && p.story)
    .map((p) => {
      const story = p.story!;
      const t = timing.get(p.id);
      const reviews = record.reviews.filter((r) => r.story_id === story.id).map(reviewDoc);
      return {
        id: story.id,
        rank: story.rank,
        headline: p.title,
        title: story.title,
        summary: story.summary,
        start_ms: t?.startMs ?? 0,
        end_ms: t?.endMs ?? 0,
        script: scriptDoc(p.script),
        sources: record.sources.filter((s) => s.story_id === story.id).map(sourceDoc),
        reviews,
        disagreement: reviews.some((r) => r.disagreement),
        reviewed_without: reviewedWithout(story),
      };
    });

  const leftOutDoc = (l: LeftOutStory): LeftOutDoc => ({ id: l.storyId, title: l.title, rank: l.rank, stage: l.stage, reason: l.reason });
  const notes = [...readNotes(edition.notes), ...(input.extraNotes ?? [])];
  const usedOffline =
    record.scripts.some((s) => isOffline(s.provider)) || record.reviews.some((r) => isOffline(r.provider)) || record.calls.some((c) => c.kind === "chat" && isOffline(c.provider));

  return {
    id: edition.id,
    title: editionTitle(edition, config),
    podcast: config.podcast.title,
    show: {
      slug: input.show.slug,
      title: input.show.title,
      podcast_guid: input.show.podcastGuid,
      feed: { title: input.show.title, url: input.show.feedUrl },
      image: input.show.imageUrl,
      loopback_base_url: input.show.loopback,
    },
    slot: edition.slot,
    language: edition.language,
    date: editionDate(edition, config),
    now: iso(edition.now),
    deadline_at: iso(edition.deadline_at),
    published_at: input.publishedAt.toISOString(),
    published_because: input.reason,
    duration_ms: audio.durationMs,
    audio: { file: EDITION_FILES.mp3, bytes: input.mp3Bytes, sample_rate: audio.sampleRate, gap_ms: audio.gapMs },
    files: EDITION_FILES,
    offline: { used: usedOffline, providers: [...offlineProviders].sort() },
    anchors: showAnchors(config, onAir(config, plan), edition.language),
    intro: frame("intro"),
    outro: frame("outro"),
    stories,
    left_out: plan.leftOut.filter((l) => l.inLineup).map(leftOutDoc),
    dropped_before_lineup: plan.leftOut.filter((l) => !l.inLineup).map(leftOutDoc),
    edition_reviews: record.reviews.filter((r) => r.story_id === null).map(reviewDoc),
    usage: summariseUsage(record.calls),
    notes: notes.map((n) => ({ kind: n.kind, message: n.message })),
  };
}

/** Providers of kind "offline" (the embedded extractive provider); "offline" by name as well. */
export function offlineProviderNames(config: LoadedConfig): Set<string> {
  const names = new Set(["offline"]);
  for (const [name, p] of Object.entries(config.providers)) if (p.kind === "offline") names.add(name);
  return names;
}

function sourceDoc(s: Source): SourceDoc {
  return { title: s.title, url: s.url, feed: safeHref(s.feed), feed_title: s.feed_title, published_at: iso(s.published_at) };
}

function iso(d: Date | string): string {
  return new Date(d).toISOString();
}

/** The story row's "reviewed without" camps as a list. */
function reviewedWithout(story: { reviewed_without: string | null }): string[] {
  return story.reviewed_without ? story.reviewed_without.split(",").filter(Boolean) : [];
}

/** Two anchors when the config says so or when both personas were voiced (a config changed mid-edition). */
function onAir(config: LoadedConfig, plan: EditionPlan): 1 | 2 {
  return config.edition.anchors === 2 || new Set(plan.parts.flatMap((p) => p.segments.map((s) => s.speaker))).size > 1 ? 2 : 1;
}
