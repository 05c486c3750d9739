// report.filed -> the corrections desk decides the listener's report (roles/corrections-desk.ts),
// and the decision, with the models' readings as review rows, is stored in one commit. An
// upheld report's correction is read at the top of the show's next edition (the editor's show
// pass) and noted on the story's page when that edition is published (the publisher).
import type { Db } from "@newsroom/platform/db/connect";
import type { Source } from "@newsroom/platform/db/schema";
import { PermanentError } from "@newsroom/platform/bus/types";
import { recordDecision, REPORT_KIND_NAMES } from "@newsroom/platform/editorial/reports";
import { insertReviews } from "@newsroom/platform/editorial/review";
import { editionSettings } from "@newsroom/platform/editorial/settings";
import { airTimeOf } from "@newsroom/platform/editorial/wording";
import type { Handler } from "@newsroom/platform/handler";
import type { FactcheckDeps } from "../deps.js";
import { decideReport } from "../roles/corrections-desk.js";

export function onReportFiled(deps: FactcheckDeps): Handler<"report.filed"> {
  return async (event, ctx) => {
    const report = await ctx.db.selectFrom("reports").selectAll().where("id", "=", event.reportId).executeTakeFirst();
    if (!report) throw new PermanentError(`report.filed for unknown report ${event.reportId}`);
    if (report.status !== "filed" || report.decided_at) return; // decided already (a redelivery, or an operator was first)
    const [edition, story, script] = await Promise.all([
      ctx.db.selectFrom("editions").selectAll().where("id", "=", report.edition_id).executeTakeFirst(),
      ctx.db.selectFrom("stories").selectAll().where("id", "=", report.story_id).executeTakeFirst(),
      ctx.db.selectFrom("scripts").selectAll().where("id", "=", report.script_id).executeTakeFirst(),
    ]);
    if (!edition || !story || !script) {
      // A site with a database of its own collected it: the desk can only decide where the edition's rows are.
      const why = `edition ${report.edition_id}, its story ${report.story_id} or script ${report.script_id} is not in this database: decide it where the newsroom's database is`;
      await ctx.commit(async (tx) => {
        await tx.updateTable("reports").set({ reason: why }).where("id", "=", report.id).where("decided_at", "is", null).execute();
      });
      deps.log.warn("listener report left undecided", { report: report.id, why });
      return;
    }
    const sources = await ctx.db.selectFrom("sources").selectAll().where("story_id", "=", story.id).orderBy("published_at").execute();
    const settings = editionSettings(edition, deps.config.edition);
    const outcome = await decideReport(
      {
        report,
        edition,
        headline: story.headline ?? story.title,
        script,
        sources,
        newer: await newerSources(ctx.db, edition.now, story.cluster_key, sources),
        segments: await ctx.db.selectFrom("segments").select(["id", "seq", "text", "provider", "pcm", "sample_rate"]).where("script_id", "=", script.id).orderBy("seq").execute(),
        settings,
      },
      deps.router(),
      deps.config,
      { editionId: edition.id, storyId: story.id, working: ctx.working, airTime: airTimeOf(edition, settings) },
    );

    await ctx.commit(async (tx) => {
      await insertReviews(tx, outcome.reviews);
      if (!outcome.decision) {
        await tx.updateTable("reports").set({ reason: outcome.pending ?? null }).where("id", "=", report.id).where("decided_at", "is", null).execute();
        return;
      }
      await recordDecision(tx, report.id, outcome.decision);
    });
    const said = outcome.decision ? `${outcome.decision.status}: ${outcome.decision.reason}` : `waits for an operator: ${outcome.pending}`;
    deps.log.info("listener report decided", { report: report.id, kind: report.kind, outcome: said.slice(0, 300) });
    await ctx.progress("corrections", `report ${report.id} (${REPORT_KIND_NAMES[report.kind]}) ${said.slice(0, 300)}`, story.id);
  };
}

/** Sources of the same story in later editions: the same cluster, or the same article. */
async function newerSources(db: Db, after: Date, clusterKey: string, own: Source[]): Promise<Source[]> {
  const later = await db
    .selectFrom("sources")
    .innerJoin("stories", "stories.id", "sources.story_id")
    .innerJoin("editions", "editions.id", "stories.edition_id")
    .selectAll("sources")
    .where("editions.now", ">", after)
    .where("stories.cluster_key", "=", clusterKey)
    .execute();
  const urls = own.map((s) => s.url).filter((u): u is string => !!u);
  const sameArticle = urls.length
    ? await db.selectFrom("sources").selectAll().where("url", "in", urls).where("id", "not in", own.map((s) => s.id)).where("published_at", ">", own.at(-1)!.published_at).execute()
    : [];
  return [...new Map([...later, ...sameArticle].map((s) => [s.id, s])).values()];
}
