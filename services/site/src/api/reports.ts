// POST /api/v1/reports: a listener reports a problem with one aired story. The report is
// validated (zod, then against the edition's published edition.json), size- and rate-limited
// per address (in memory, per replica), stored with the story and the script version that aired,
// and written with its `report.filed` outbox row in one transaction; the corrections desk
// (factcheck) decides it. The site itself keeps nothing.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Db } from "@newsroom/platform/db/connect";
import type { ReportKind } from "@newsroom/platform/db/schema";
import { writeOutboxEvent } from "@newsroom/platform/outbox/write";
import { inTransaction } from "@newsroom/platform/runner/transactions";
import { REPORT_KINDS, REPORT_NOTE_MAX } from "@newsroom/publisher/report-form";
import type { EditionDocument } from "@newsroom/publisher/edition-json";
import { EDITION_FILES } from "@newsroom/publisher/naming";
import { perAddressLimit, sendApiError, zodIssues } from "./common.js";

export interface ReportsApiOptions {
  db: Db;
  /** The served editions folder (OUTPUT_DIR). */
  root: string;
  /** Wakes the outbox relay after the commit. */
  nudgeOutbox: () => void;
  /** Reports per address per minute (default 10). */
  perMinute?: number;
}

/** JSON of a report with a 500-character note in any script, escaped, fits with room to spare. */
export const REPORT_BODY_LIMIT = 4096;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const reportBody = z
  .object({
    edition: z.string().regex(ID, "not an edition id"),
    story: z.string().regex(ID, "not a story id"),
    kind: z.enum(REPORT_KINDS.map(([k]) => k) as [ReportKind, ...ReportKind[]], { message: `expected one of ${REPORT_KINDS.map(([k]) => k).join(", ")}` }),
    // Characters as a listener counts them (code points), not UTF-16 units.
    note: z
      .string()
      .optional()
      .default("")
      .transform((s) => s.trim())
      .refine((s) => [...s].length <= REPORT_NOTE_MAX, `at most ${REPORT_NOTE_MAX} characters`),
  })
  .strict();

export async function reportsApi(app: FastifyInstance, opts: ReportsApiOptions): Promise<void> {
  app.post(
    "/api/v1/reports",
    { bodyLimit: REPORT_BODY_LIMIT, config: perAddressLimit(opts.perMinute ?? 10) },
    async (req, reply) => {
      const parsed = reportBody.safeParse(req.body);
      if (!parsed.success) return sendApiError(reply, 400, zodIssues(parsed.error).join("; "));
      const { edition: editionId, story: storyId, kind, note } = parsed.data;

      // What was published is the truth of what aired: the edition's own edition.json in the served
      // folder names its stories and each one's script and version. (So a site with a database of
      // its own, the embedded default, still collects reports.)
      const doc = await publishedEdition(opts.root, editionId);
      if (!doc) return sendApiError(reply, 404, `no published edition ${editionId}`);
      const story = doc.stories.find((s) => s.id === storyId);
      if (!story) return sendApiError(reply, 404, `edition ${editionId} has no story ${storyId}`);
      const script = { id: story.script.id, version: story.script.version };

      const id = `r-${randomBytes(6).toString("hex")}`;
      await inTransaction(opts.db, async (tx) => {
        await tx
          .insertInto("reports")
          .values({
            id,
            edition_id: editionId,
            story_id: storyId,
            script_id: script.id,
            script_version: script.version,
            show_slug: doc.show?.slug ?? "",
            kind,
            note,
          })
          .execute();
        await writeOutboxEvent(tx, "report.filed", { reportId: id, kind, scriptId: script.id, scriptVersion: script.version }, { editionId, storyId, key: `report:${id}` });
      });
      opts.nudgeOutbox();
      return reply.code(202).send({ id, status: "filed" });
    },
  );
}

/** The edition.json of a published edition in the served folder; undefined when there is none. */
async function publishedEdition(root: string, editionId: string): Promise<EditionDocument | undefined> {
  try {
    const doc = JSON.parse(await readFile(join(root, editionId, EDITION_FILES.json), "utf8")) as EditionDocument;
    return doc.id === editionId && Array.isArray(doc.stories) ? doc : undefined;
  } catch {
    return undefined;
  }
}
