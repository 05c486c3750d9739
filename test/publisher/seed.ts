// Seeded editions for publisher tests: real rows on a real database, real PCM (sine tones of
// known length at the sample rates TTS vendors use).
import { parseConfig, type LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import type { StoryStatus } from "@newsroom/platform/db/schema";
import { sinePcm } from "./pcm-fixtures.js";
import type { Persona } from "@newsroom/platform/config/schema";

export const HOSTILE_TITLE = `<script>window.__pwned=1</script> Rates rise & markets <b>fall</b>`;
export const HOSTILE_SUMMARY = `<img src=x onerror="window.__pwned=1"> The central bank raised rates.`;

export function publisherConfig(opts: { anchors?: 1 | 2; baseUrl?: string } = {}): LoadedConfig {
  return parseConfig(
    `
edition: {language: en, timezone: Asia/Shanghai, anchors: ${opts.anchors ?? 2}}
feeds: [{file: feed.xml}]
providers:
  offline: {kind: offline, camp: local}
  acme: {kind: openai, camp: us, base_url: "http://127.0.0.1:9/v1"}
roles:
  default: [acme/m1, offline/extractive]
  deputy_editor: [offline/extractive, acme/m1]
  fact_checker: [offline/extractive, acme/m1]
  cross_reviewer: [offline/extractive, acme/m1]
  freshness_judge: [offline/extractive, acme/m1]
anchors:
  anchor_a: {name: Maya, role: lead}
  anchor_b: {name: {en: Tom, zh: 唐明}, role: co-host}
podcast:
  title: Test Briefing
  author: Newsroom Tests
  base_url: "${opts.baseUrl ?? "https://pod.example.org/briefing/"}"
  image: "https://pod.example.org/cover.png"
  category: News
  explicit: false
`,
    "/tmp/newsroom-test/newsroom.yaml",
    {},
  );
}

export interface SeedSegment {
  ms: number;
  rate: number;
  speaker?: Persona;
  text?: string;
  hz?: number;
  amplitude?: number;
}

export interface SeedStory {
  id: string;
  rank: number | null;
  status: StoryStatus;
  title: string;
  summary?: string;
  headline?: string | null;
  dropReason?: string;
  /** Camps whose review it went without (comma-separated), as factcheck marks it. */
  reviewedWithout?: string;
  /** Audio of its script; none for stories not voiced. */
  segments?: SeedSegment[];
  sources?: { title: string; url: string | null; feed?: string }[];
  reviews?: { role: string; verdict: string; reason: string; evidence?: unknown[]; disagreement?: boolean; overruled?: string; provider?: string; camp?: string }[];
}

export interface SeedEdition {
  id: string;
  deadlineAt?: Date;
  lineupSize?: number | null;
  status?: "editing" | "producing" | "requested";
  intro?: SeedSegment[];
  outro?: SeedSegment[];
  stories: SeedStory[];
  notes?: unknown[];
}

export async function seedEdition(db: Db, e: SeedEdition): Promise<void> {
  const now = new Date("2026-11-28T07:00:00+08:00");
  await db
    .insertInto("editions")
    .values({
      id: e.id,
      slot: "morning",
      language: "en",
      status: e.status ?? "producing",
      now,
      deadline_at: e.deadlineAt ?? new Date(Date.now() + 3_600_000),
      config: JSON.stringify({}),
      lineup_size: e.lineupSize === undefined ? e.stories.filter((s) => s.rank !== null).length : e.lineupSize,
      intro_script_id: e.intro ? `${e.id}-intro` : null,
      outro_script_id: e.outro ? `${e.id}-outro` : null,
      notes: JSON.stringify(e.notes ?? [{ kind: "offline", message: "Made (at least in part) by the embedded offline provider." }]),
    })
    .execute();
  if (e.intro) await seedScript(db, e.id, null, "intro", `${e.id}-intro`, e.intro, "Good morning, this is the briefing.");
  if (e.outro) await seedScript(db, e.id, null, "outro", `${e.id}-outro`, e.outro, "That was the briefing.");
  for (const s of e.stories) {
    await db
      .insertInto("stories")
      .values({
        id: s.id,
        edition_id: e.id,
        cluster_key: s.id,
        title: s.title,
        summary: s.summary ?? `Summary of ${s.title}`,
        language: "en",
        first_published: new Date("2026-11-27T22:00:00Z"),
        source_count: s.sources?.length ?? 1,
        rank: s.rank,
        headline: s.headline ?? null,
        status: s.status,
        drop_reason: s.dropReason ?? null,
        reviewed_without: s.reviewedWithout ?? null,
      })
      .execute();
    for (const [i, src] of (s.sources ?? [{ title: `Source for ${s.title}`, url: `https://news.example.com/${s.id}` }]).entries())
      await db
        .insertInto("sources")
        .values({
          id: `${s.id}-src${i}`,
          story_id: s.id,
          edition_id: e.id,
          feed: src.feed ?? "https://news.example.com/feed.xml",
          feed_title: "Example News",
          url: src.url,
          guid: null,
          title: src.title,
          text: "Body text.",
          language: "en",
          published_at: new Date(Date.parse("2026-11-27T22:00:00Z") + i * 60_000),
        })
        .execute();
    if (s.segments || s.status !== "selected") await seedScript(db, e.id, s.id, "story", `${s.id}-v1`, s.segments ?? [], `Script of ${s.title}.`);
    for (const [i, r] of (s.reviews ?? []).entries())
      await db
        .insertInto("reviews")
        .values({
          id: `${s.id}-rev${i}`,
          edition_id: e.id,
          story_id: s.id,
          script_id: `${s.id}-v1`,
          role: r.role,
          verdict: r.verdict,
          reason: r.reason,
          evidence: JSON.stringify(r.evidence ?? []),
          provider: r.provider ?? "acme",
          model: "m1",
          camp: r.camp ?? "us",
          disagreement: r.disagreement ?? false,
          overruled_reason: r.overruled ?? null,
        })
        .execute();
  }
}

async function seedScript(db: Db, editionId: string, storyId: string | null, kind: "story" | "intro" | "outro", id: string, segments: SeedSegment[], text: string) {
  await db
    .insertInto("scripts")
    .values({
      id,
      edition_id: editionId,
      story_id: storyId,
      kind,
      version: 1,
      language: "en",
      headline: null,
      lines: JSON.stringify(segments.length ? segments.map((s, i) => ({ speaker: s.speaker ?? "anchor_a", text: s.text ?? `${text} Part ${i + 1}.` })) : [{ speaker: "anchor_a", text }]),
      provider: "offline",
      model: "extractive",
      camp: "local",
      completion: "whole",
    })
    .execute();
  await addSegments(db, editionId, storyId, id, segments, text);
}

export async function addSegments(db: Db, editionId: string, storyId: string | null, scriptId: string, segments: SeedSegment[], text = "Line") {
  for (const [seq, s] of segments.entries()) {
    const pcm = sinePcm({ sampleRate: s.rate, ms: s.ms, hz: s.hz ?? 220 + 110 * seq, amplitude: s.amplitude ?? 0.25 });
    await db
      .insertInto("segments")
      .values({
        id: `${scriptId}-seg${seq}`,
        edition_id: editionId,
        story_id: storyId,
        script_id: scriptId,
        seq,
        speaker: s.speaker ?? "anchor_a",
        text: s.text ?? `${text} Part ${seq + 1}.`,
        provider: s.rate === 32000 ? "minimax" : s.rate === 22050 ? "local" : "openai",
        voice: "v1",
        sample_rate: s.rate,
        pcm,
        duration_ms: Math.round((pcm.length / 2 / s.rate) * 1000),
        expected_ms: s.ms,
        attempts: 1,
      })
      .execute();
  }
}

export async function seedCalls(db: Db, editionId: string): Promise<void> {
  const base = { edition_id: editionId, story_id: null, input_tokens: 0, output_tokens: 0, tokens_estimated: false, characters: 0, cost_usd: 0, latency_ms: 100, outcome: "ok" as const, error_class: null, note: null };
  await db
    .insertInto("model_calls")
    .values([
      { ...base, role: "writer", kind: "chat", provider: "acme", model: "m1", camp: "us", input_tokens: 1200, output_tokens: 300, cost_usd: 0.0021 },
      { ...base, role: "fact_checker", kind: "chat", provider: "offline", model: "extractive", camp: "local", input_tokens: 800, output_tokens: 100, tokens_estimated: true },
      { ...base, role: "writer", kind: "chat", provider: "acme", model: "m1", camp: "us", outcome: "timeout", latency_ms: 60000 },
      { ...base, role: "anchor_a", kind: "tts", provider: "minimax", model: "speech-01", camp: "cn", characters: 450, cost_usd: 0.0045 },
      { ...base, role: "anchor_b", kind: "tts", provider: "local", model: "espeak-ng", camp: "local", characters: 200 },
    ])
    .execute();
}

/** Sum of the seeded segments' real lengths, in ms. */
export function segmentsMs(segments: SeedSegment[]): number {
  return segments.reduce((t, s) => t + (Math.round((s.rate * s.ms) / 1000) / s.rate) * 1000, 0);
}
