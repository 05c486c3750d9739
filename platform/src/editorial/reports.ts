// Listener reports (issue 10): the words of a correction, and recording a decision. The
// corrections desk (factcheck) and an operator (`newsroom reports decide`) decide the same way:
// an upheld report carries the correction read at the top of the show's next edition.
import { sql, type Transaction } from "kysely";
import type { Db } from "../db/connect.js";
import type { Correction, Database, Edition, Report, ReportKind, ReportStatus } from "../db/schema.js";
import { localDateHour } from "../editions/slot.js";
import { appendNotes } from "./notes.js";
import { editionSettings, partLanguages, type PartLanguage } from "./settings.js";
import type { EditionConfig } from "../config/schema.js";

export const REPORT_KIND_NAMES: Record<ReportKind, string> = {
  wrong_fact: "wrong fact",
  old_news: "old news",
  cut_off: "cut off",
  audio_problem: "audio problem",
  other: "other",
};

export class ReportError extends Error {
  override name = "ReportError";
}

/** What a correction says was wrong, per kind. */
export type CorrectionFact =
  | { kind: "figure"; aired: string; sources: string; /** A later report revised it. */ newer?: boolean }
  | { kind: "old_news"; oldest: string }
  | { kind: "audio" }
  | { kind: "operator"; text: string };

/** The headline of one language part ("中文 | English" in bilingual editions). */
function headlineIn(headline: string, langs: PartLanguage[], lang: PartLanguage): string {
  const all = headline.split(" | ");
  return (all[langs.indexOf(lang)] ?? all[0]).replace(/[\s.。!！?？…]+$/u, "").trim();
}

/** The correction as each language part of the show reads it: "更正：…" / "A correction: …". */
export function correctionFor(edition: Pick<Edition, "now" | "language" | "config">, fallback: EditionConfig, headline: string, fact: CorrectionFact): Correction {
  const settings = editionSettings(edition, fallback);
  const langs = partLanguages(settings.language);
  const date = localDateHour(new Date(edition.now), settings.timezone).date;
  const lines: Correction["lines"] = {};
  for (const lang of langs) {
    const h = headlineIn(headline, langs, lang);
    if (lang === "zh") {
      lines.zh =
        fact.kind === "figure"
          ? fact.newer
            ? `更正：${date}节目中的报道《${h}》说${fact.aired}，此后的报道更正为${fact.sources}。`
            : `更正：${date}节目中的报道《${h}》说${fact.aired}，来源显示应为${fact.sources}。`
          : fact.kind === "old_news"
            ? `更正：${date}节目中的报道《${h}》是旧闻，它的来源发布于${fact.oldest}。`
            : fact.kind === "audio"
              ? `更正：${date}节目中的报道《${h}》因音频故障没有完整播出，全文见当期节目页面。`
              : `更正：关于${date}节目中的报道《${h}》：${fact.text}`;
    } else {
      lines.en =
        fact.kind === "figure"
          ? fact.newer
            ? `A correction: in our ${date} edition, the story "${h}" said ${fact.aired}; later reports put it at ${fact.sources}.`
            : `A correction: in our ${date} edition, the story "${h}" said ${fact.aired}; the sources say ${fact.sources}.`
          : fact.kind === "old_news"
            ? `A correction: the story "${h}" in our ${date} edition was old news; its sources date from ${fact.oldest}.`
            : fact.kind === "audio"
              ? `A correction: in our ${date} edition, the story "${h}" was not heard in full because of an audio fault; its full text is on the edition's page.`
              : `A correction: about the story "${h}" in our ${date} edition: ${fact.text}`;
    }
  }
  return { headline, lines };
}

export interface ReportDecision {
  status: Exclude<ReportStatus, "filed">;
  reason: string;
  decidedBy: "corrections_desk" | "operator";
  correction: Correction | null;
}

/**
 * Stores a decision; an upheld one also becomes a note of the reported edition. A report whose
 * correction was already read on air keeps it (what aired cannot be unsaid); any other may be
 * decided again (an operator overruling the desk; the desk never overrules an operator).
 */
export async function recordDecision(tx: Transaction<Database>, reportId: string, d: ReportDecision): Promise<Report> {
  const row = await tx.selectFrom("reports").selectAll().where("id", "=", reportId).forUpdate().executeTakeFirst();
  if (!row) throw new ReportError(`no report ${reportId}`);
  if (row.corrected_in) throw new ReportError(`report ${reportId} was upheld and its correction was read in edition ${row.corrected_in}; it cannot be decided again`);
  if (d.status === "upheld" && !d.correction) throw new ReportError("an upheld report needs its correction");
  // An operator who decided while the desk was still reading keeps the last word.
  if (d.decidedBy === "corrections_desk" && row.decided_by === "operator") return row;
  const updated = await tx
    .updateTable("reports")
    .set({
      status: d.status,
      reason: d.reason,
      decided_by: d.decidedBy,
      decided_at: new Date(),
      correction: d.status === "upheld" ? JSON.stringify(d.correction) : null,
    })
    .where("id", "=", reportId)
    .returningAll()
    .executeTakeFirstOrThrow();
  // The edition's note follows the decision: one note while upheld, none once rejected.
  await tx
    .updateTable("editions")
    .set({ notes: sql`(select coalesce(jsonb_agg(n), '[]'::jsonb) from jsonb_array_elements(notes) n where not (n->>'kind' = 'correction' and n->>'report_id' = ${row.id}))` as never })
    .where("id", "=", row.edition_id)
    .execute();
  if (d.status === "upheld")
    await appendNotes(tx, row.edition_id, [
      { kind: "correction", story_id: row.story_id, report_id: row.id, message: `Correction after a listener's report (${REPORT_KIND_NAMES[row.kind]}): ${d.reason}` },
    ]);
  return updated;
}

/** Upheld reports of a show whose correction has not been read yet, oldest first. */
export async function pendingCorrections(db: Db | Transaction<Database>, showSlug: string, exceptEdition: string): Promise<Report[]> {
  return db
    .selectFrom("reports")
    .selectAll()
    .where("show_slug", "=", showSlug)
    .where("status", "=", "upheld")
    .where("corrected_in", "is", null)
    .where("edition_id", "!=", exceptEdition)
    .orderBy("decided_at")
    .orderBy("id")
    .execute();
}
