// Corrections on the pages. The publisher stays the one writer of the output folder: when it
// publishes the edition whose intro reads a correction, it also notes the correction on the
// corrected story's page and in that edition's edition.json (both re-rendered from the
// edition.json on disk and its transcript; the MP3 and the feed are not touched).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "@newsroom/platform/db/connect";
import type { Report } from "@newsroom/platform/db/schema";
import { REPORT_KIND_NAMES } from "@newsroom/platform/editorial/reports";
import type { EditionDocument } from "./edition-json.js";
import { writeFileAtomic } from "./files.js";
import { EDITION_FILES } from "./naming.js";
import { renderEditionPage } from "./page.js";
import type { TranscriptCue } from "./transcript.js";

export interface CorrectionDoc {
  report_id: string;
  /** What the listener reported: wrong fact, old news, cut off, audio problem, other. */
  kind: string;
  edition_id: string;
  story_id: string;
  headline: string;
  /** What was read on air, per language part. */
  text: string[];
  /** Why it was upheld. */
  reason: string;
  decided_by: string;
  decided_at: string;
  /** The edition whose intro read it. */
  read_in: string;
}

export async function correctionsReadIn(db: Db, editionId: string): Promise<Report[]> {
  return db.selectFrom("reports").selectAll().where("corrected_in", "=", editionId).where("status", "=", "upheld").orderBy("decided_at").orderBy("id").execute();
}

export function correctionDoc(r: Report): CorrectionDoc {
  return {
    report_id: r.id,
    kind: REPORT_KIND_NAMES[r.kind] ?? r.kind,
    edition_id: r.edition_id,
    story_id: r.story_id,
    headline: r.correction?.headline ?? "",
    text: Object.values(r.correction?.lines ?? {}).filter((t): t is string => !!t),
    reason: r.reason ?? "",
    decided_by: r.decided_by ?? "",
    decided_at: r.decided_at ? new Date(r.decided_at).toISOString() : "",
    read_in: r.corrected_in ?? "",
  };
}

/** Adds each correction to its story in the corrected edition's edition.json and page; returns the files written. */
export async function noteCorrectedEditions(db: Db, outDir: string, reports: Report[]): Promise<string[]> {
  const written: string[] = [];
  for (const editionId of [...new Set(reports.map((r) => r.edition_id))]) {
    const dir = join(outDir, editionId);
    let doc: EditionDocument;
    let vtt: string;
    try {
      doc = JSON.parse(await readFile(join(dir, EDITION_FILES.json), "utf8")) as EditionDocument;
      vtt = await readFile(join(dir, EDITION_FILES.transcript), "utf8");
    } catch {
      continue; // published into another output folder: its page is not ours to write
    }
    for (const r of reports.filter((x) => x.edition_id === editionId)) {
      const story = doc.stories.find((s) => s.id === r.story_id);
      if (!story) continue;
      const c = correctionDoc(r);
      story.corrections = [...(story.corrections ?? []).filter((x) => x.report_id !== r.id), c];
      const message = `Correction after a listener's report (${c.kind}), read in edition ${c.read_in}: ${c.text.join(" / ")}`;
      if (!doc.notes.some((n) => n.kind === "correction" && n.message === message)) doc.notes.push({ kind: "correction", message });
    }
    await writeFileAtomic(join(dir, EDITION_FILES.json), JSON.stringify(doc, null, 2) + "\n");
    await writeFileAtomic(join(dir, EDITION_FILES.page), renderEditionPage(doc, readWebVtt(vtt), { twoAnchors: doc.anchors.length === 2 }));
    written.push(join(dir, EDITION_FILES.json), join(dir, EDITION_FILES.page));
  }
  if (reports.length)
    await db
      .updateTable("reports")
      .set({ page_noted_at: new Date() })
      .where("id", "in", reports.map((r) => r.id))
      .execute();
  return written;
}

/** The cues of a transcript this publisher wrote (transcript.ts): times, voice tag, escaped text. */
export function readWebVtt(vtt: string): TranscriptCue[] {
  const cues: TranscriptCue[] = [];
  for (const block of vtt.replace(/\r\n/g, "\n").split(/\n{2,}/)) {
    const lines = block.split("\n");
    const at = lines.findIndex((l) => l.includes("-->"));
    if (at < 0) continue;
    const [start, end] = lines[at].split("-->").map((t) => vttMs(t.trim().split(/\s+/)[0]));
    let text = lines.slice(at + 1).join(" ");
    let speaker: string | undefined;
    const voice = /^<v\s+([^>]+)>/.exec(text);
    if (voice) {
      speaker = unescape(voice[1]);
      text = text.slice(voice[0].length);
    }
    cues.push({ startMs: start, endMs: end, text: unescape(text.replace(/<\/?[a-z][^>]*>/gi, "")), ...(speaker ? { speaker } : {}) });
  }
  return cues;
}

function vttMs(t: string): number {
  const [h, m, s] = t.split(":").length === 3 ? t.split(":") : ["0", ...t.split(":")];
  return Math.round((Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000);
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
