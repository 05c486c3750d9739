// `newsroom reports list|show|decide`: what an operator does with listener reports. Decisions go
// through the same code as the corrections desk's (platform/src/editorial/reports.ts).
import { configSchema } from "@newsroom/platform/config/schema";
import type { Db } from "@newsroom/platform/db/connect";
import type { Report, ReportStatus } from "@newsroom/platform/db/schema";
import { correctionFor, recordDecision, REPORT_KIND_NAMES, ReportError } from "@newsroom/platform/editorial/reports";

export const REPORT_STATUSES: ReportStatus[] = ["filed", "upheld", "rejected"];

export async function listReports(db: Db, opts: { status?: ReportStatus; edition?: string }, out: (line: string) => void): Promise<void> {
  let q = db.selectFrom("reports").selectAll().orderBy("created_at").orderBy("id");
  if (opts.status) q = q.where("status", "=", opts.status);
  if (opts.edition) q = q.where("edition_id", "=", opts.edition);
  const rows = await q.execute();
  if (!rows.length) return out("no reports");
  out(["id", "filed", "status", "kind", "edition", "story", "version", "reason"].join("\t"));
  for (const r of rows)
    out([r.id, iso(r.created_at), r.status, REPORT_KIND_NAMES[r.kind], r.edition_id, r.story_id, `v${r.script_version}`, oneLine(r.reason ?? "").slice(0, 120)].join("\t"));
}

export async function showReport(db: Db, id: string, out: (line: string) => void): Promise<void> {
  const r = await find(db, id);
  const story = await db.selectFrom("stories").select(["title", "headline"]).where("id", "=", r.story_id).executeTakeFirst();
  const field = (name: string, value: string | number | null | undefined) => out(`${`${name}:`.padEnd(15)}${value ?? "-"}`);
  field("report", r.id);
  field("status", r.status);
  field("kind", REPORT_KIND_NAMES[r.kind]);
  field("filed", iso(r.created_at));
  field("edition", r.edition_id);
  field("show", r.show_slug);
  field("story", `${r.story_id} (${story?.headline ?? story?.title ?? "?"})`);
  field("script", `${r.script_id} version ${r.script_version}`);
  field("note", r.note ? oneLine(r.note) : null);
  field("decided by", r.decided_by);
  field("decided", r.decided_at ? iso(r.decided_at) : null);
  field("reason", r.reason);
  for (const [lang, line] of Object.entries(r.correction?.lines ?? {})) field(`correction ${lang}`, line);
  field("read in", r.corrected_in ?? (r.status === "upheld" ? "not yet (the show's next edition reads it)" : null));
}

export async function decideReport(db: Db, id: string, verdict: string, reason: string | undefined, out: (line: string) => void): Promise<void> {
  if (verdict !== "uphold" && verdict !== "reject") throw new ReportError(`decide: expected uphold or reject; found ${JSON.stringify(verdict)}`);
  const why = oneLine(reason ?? "");
  if (!why) throw new ReportError("decide: --reason is required (it is stored, and an upheld report's reason is the correction read on air)");
  const r = await find(db, id);
  const edition = await db.selectFrom("editions").selectAll().where("id", "=", r.edition_id).executeTakeFirst();
  const story = await db.selectFrom("stories").select(["title", "headline"]).where("id", "=", r.story_id).executeTakeFirst();
  if (!edition || !story)
    throw new ReportError(`edition ${r.edition_id} or its story ${r.story_id} is not in this database: decide the report where the newsroom's database is (DATABASE_URL or DATA_DIR)`);
  const upheld = verdict === "uphold";
  const saved = await db.transaction().execute((tx) =>
    recordDecision(tx, r.id, {
      status: upheld ? "upheld" : "rejected",
      reason: why,
      decidedBy: "operator",
      correction: upheld ? correctionFor(edition, configSchema.shape.edition.parse({}), story.headline ?? story.title, { kind: "operator", text: why }) : null,
    }),
  );
  out(`report ${saved.id}: ${saved.status}`);
  if (upheld) for (const line of Object.values(saved.correction?.lines ?? {})) out(`  read at the top of the show's next edition: ${line}`);
}

async function find(db: Db, id: string): Promise<Report> {
  const r = await db.selectFrom("reports").selectAll().where("id", "=", id).executeTakeFirst();
  if (!r) throw new ReportError(`no report ${id} (newsroom reports list shows them)`);
  return r;
}

const iso = (d: Date | string) => new Date(d).toISOString().slice(0, 19).replace("T", " ");
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
