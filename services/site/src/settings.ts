// The site's own settings from the environment, validated with zod like the shared ones.
import { z } from "zod";
import { SettingsError } from "@newsroom/platform/service/settings";

const siteEnv = z.object({
  SITE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  SITE_HOST: z.string().min(1).default("0.0.0.0"),
  /** Requests a minute from one address to each /api/ route (beacons, stats); past it, 429. */
  SITE_API_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
});

export type SiteSettings = z.infer<typeof siteEnv>;

export function siteSettings(env: NodeJS.ProcessEnv): SiteSettings {
  const parsed = siteEnv.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (!parsed.success)
    throw new SettingsError(`invalid environment: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; ")}`);
  return parsed.data;
}
