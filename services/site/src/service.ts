// The site service: the listener-facing HTTP server over the editions folder.
import type { ServiceSpec } from "@newsroom/platform/service/spec";
import { siteSettings } from "./settings.js";
import { buildSite } from "./site.js";

export const site: ServiceSpec<"site"> = {
  name: "site",
  handlers: () => [],
  background: async (deps) => {
    const s = siteSettings(deps.env);
    const log = deps.log.child("site");
    const app = await buildSite({ root: deps.outDir, log, db: deps.db, nudgeOutbox: deps.nudgeOutbox });
    const address = await app.listen({ port: s.SITE_PORT, host: s.SITE_HOST });
    log.info(`serving ${deps.outDir} at ${address}`);
    return { stop: () => app.close() };
  },
};
