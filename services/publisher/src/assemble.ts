// Puts an edition together from its rows: one MP3 with chapter tags, transcript, chapters,
// edition.json and page in `outDir/<edition-id>/`, then the feed and front page of `outDir`.
import { join } from "node:path";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import type { Logger } from "@newsroom/platform/log";
import { buildEditionAudio, type AudioOptions } from "./audio.js";
import { feedEpisode, indexShows, loadCatalog, otherShowsEditions } from "./catalog.js";
import { buildChaptersJson } from "./chapters.js";
import { correctionDoc, correctionsReadIn, noteCorrectedEditions } from "./corrections.js";
import { buildEditionDocument } from "./edition-json.js";
import { buildPodcastFeed } from "./feed.js";
import { writeFileAtomic } from "./files.js";
import { safeHref } from "./html.js";
import { tagMp3 } from "./id3.js";
import { renderIndexPage } from "./index-page.js";
import { ensureCover, loadShow } from "./show.js";
import { loadEditionRecord, loadSegmentAudio } from "./load.js";
import { assertSafeEditionId, EDITION_FILES, editionDate, editionTitle, publicUrl } from "./naming.js";
import { leftOutNote, publishedNote } from "./notes.js";
import type { EditionNote } from "@newsroom/platform/editorial/notes";
import { renderEditionPage } from "./page.js";
import { planEdition, type LeftOutStory, type PublishReason } from "./plan.js";
import { buildWebVtt, type TranscriptCue } from "./transcript.js";

export interface AssembleOptions {
  db: Db;
  config: LoadedConfig;
  outDir: string;
  editionId: string;
  /** "complete": everything is in; "deadline": publish what is ready and say what was left out. */
  reason: PublishReason;
  log?: Logger;
  publishedAt?: Date;
  audio?: AudioOptions;
  /** Called now and then while the audio is built (a handler passes `ctx.working`). */
  onProgress?: () => void;
}

export interface AssembledEdition {
  dir: string;
  /** Every file written, edition folder first, then the show's cover and feed (feeds/) and index.html of outDir (every show's). */
  files: string[];
  durationMs: number;
  storyCount: number;
  /** Lineup stories that are not in the audio, with stage and reason. */
  leftOut: LeftOutStory[];
  /** Notes this publication adds to the edition row (already in edition.json). */
  notes: EditionNote[];
}

/** There is no voiced story: an edition of only an intro and outro is not published. */
export class NothingToPublishError extends Error {
  override name = "NothingToPublishError";
}

export async function assembleEdition(opts: AssembleOptions): Promise<AssembledEdition> {
  const { db, config, outDir, editionId, reason, log } = opts;
  assertSafeEditionId(editionId);
  const publishedAt = opts.publishedAt ?? new Date();
  const record = await loadEditionRecord(db, editionId);
  const plan = planEdition(record);
  const storyParts = plan.parts.filter((p) => p.kind === "story");
  if (!storyParts.length)
    throw new NothingToPublishError(`edition ${editionId}: no story is voiced (${plan.leftOut.length} left out; ${plan.waitingFor.join("; ") || "nothing pending"})`);

  const pcm = await loadSegmentAudio(db, plan.parts.flatMap((p) => p.segments.map((s) => s.id)));
  const audio = await buildEditionAudio(
    plan.parts.map((p) => ({ id: p.id, clips: p.segments.map((s) => ({ pcm: pcm.get(s.id)!, sampleRate: s.sample_rate })) })),
    { ...opts.audio, onProgress: opts.onProgress },
  );
  const timing = new Map(audio.parts.map((t) => [t.id, t]));
  const cues: TranscriptCue[] = plan.parts.flatMap((p) =>
    p.segments.map((s, i) => ({ ...timing.get(p.id)!.clips[i], text: s.text, speaker: s.speaker })),
  );
  // Intro and outro are chapters too: a listener skipping back to the top lands on the intro.
  const chapters = plan.parts.map((p) => {
    const t = timing.get(p.id)!;
    const firstLink = p.kind === "story" ? (record.sources.filter((s) => s.story_id === p.id).map((s) => safeHref(s.url)).find(Boolean) ?? undefined) : undefined;
    return { title: p.title, startMs: t.startMs, endMs: t.endMs, url: firstLink };
  });

  const leftOut = plan.leftOut.filter((l) => l.inLineup);
  // Dropped stories already have the dropping stage's note; stories that were simply not ready get one now.
  const notes: EditionNote[] = [
    ...leftOut.filter((l) => l.why === "not_ready").map((l) => leftOutNote(l.storyId, l.title, l.stage, l.reason)),
    publishedNote(reason, leftOut.length),
  ];
  const title = editionTitle(record.edition, config);
  const mp3 = tagMp3(audio.mp3, {
    title,
    artist: config.podcast.author,
    album: config.podcast.title,
    date: editionDate(record.edition, config),
    language: record.edition.language === "en" ? "eng" : "zho",
    comment: `Sources, reviews and transcript: ${publicUrl(config, editionId, EDITION_FILES.page)}`,
    chapters,
  });
  const show = await loadShow(db, config);
  const doc = buildEditionDocument({ record, plan, audio, mp3Bytes: mp3.length, config, show, publishedAt, reason, extraNotes: notes });
  const corrections = await correctionsReadIn(db, editionId);
  if (corrections.length) doc.corrections_read = corrections.map(correctionDoc);
  const twoAnchors = doc.anchors.length === 2;
  // Voice tags name the anchors as listeners know them.
  const names = new Map(doc.anchors.map((a) => [a.persona as string, a.name]));
  const namedCues = cues.map((c) => ({ ...c, speaker: c.speaker && (names.get(c.speaker) ?? c.speaker) }));

  const dir = join(outDir, editionId);
  const editionFiles: [string, string | Uint8Array][] = [
    [EDITION_FILES.mp3, mp3],
    [EDITION_FILES.transcript, buildWebVtt(namedCues, { voices: twoAnchors })],
    [EDITION_FILES.chapters, JSON.stringify(buildChaptersJson(chapters), null, 2) + "\n"],
    [EDITION_FILES.json, JSON.stringify(doc, null, 2) + "\n"],
    [EDITION_FILES.page, renderEditionPage(doc, namedCues, { twoAnchors })],
  ];
  for (const [name, data] of editionFiles) await writeFileAtomic(join(dir, name), data);
  // The stories this edition's intro corrected get their note now (see corrections.ts).
  const noted = await noteCorrectedEditions(db, outDir, corrections);

  // The feed and front page go last, so they never point at files that are not there yet.
  const cover = await ensureCover(outDir, show, config);
  const catalog = await loadCatalog(db, outDir, show, { doc, mp3Bytes: mp3.length });
  if (catalog.missing.length) log?.warn("published editions missing from the output folder are left out of the feed", { editions: catalog.missing });
  const feedPath = join(outDir, show.feedFile);
  await writeFileAtomic(feedPath, buildPodcastFeed(config, show, catalog.entries.map(feedEpisode)));
  // One front page for the folder, listing every show published into it (two shows may share a folder).
  const shows = indexShows({ show, description: config.podcast.description, baseUrl: config.podcast.base_url }, catalog.entries, await otherShowsEditions(outDir, show));
  await writeFileAtomic(join(outDir, "index.html"), renderIndexPage(config.edition.language, shows));

  log?.info("edition assembled", { edition: editionId, reason, stories: storyParts.length, leftOut: leftOut.length, durationMs: audio.durationMs, dir });
  return {
    dir,
    files: [...editionFiles.map(([name]) => join(dir, name)), ...noted, ...(cover ? [cover] : []), feedPath, join(outDir, "index.html")],
    durationMs: audio.durationMs,
    storyCount: storyParts.length,
    leftOut,
    notes,
  };
}
