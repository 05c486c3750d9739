// The site service: the listener-facing HTTP server over the editions folder.
import { consume } from "@newsroom/platform/handler";
import type { ServiceSpec } from "@newsroom/platform/service/spec";
import { editionTimesReader } from "./listens/edition-times.js";
import { recordListen } from "./listens/record.js";
import { siteSettings } from "./settings.js";
import { buildSite } from "./site.js";

export const site: ServiceSpec<"site"> = {
  name: "site",
  // Probed at /healthz on its HTTP port (/readyz reports the database and NATS): an empty gRPC health server would be one more port to open.
  health: "http",
  // The replicas share this durable consumer: each beacon is aggregated once, in Postgres.
  handlers: (deps) => [consume("site", "listen.recorded", recordListen({ editionTimes: editionTimesReader(deps.outDir), log: deps.log.child("listens") }))],
  background: async (deps) => {
    const s = siteSettings(deps.env);
    const log = deps.log.child("site");
    const listens = { db: deps.db, nudgeOutbox: deps.nudgeOutbox, perMinute: s.SITE_API_PER_MINUTE };
    const app = await buildSite({ root: deps.outDir, log, listens, trustProxy: s.SITE_TRUST_PROXY, away: deps.away });
    const address = await app.listen({ port: s.SITE_PORT, host: s.SITE_HOST });
    log.info(`serving ${deps.outDir} at ${address}`);
    return { url: address, stop: () => app.close() };
  },
};
