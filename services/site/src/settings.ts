// The site's own settings from the environment, validated with zod like the shared ones.
import { z } from "zod";
import { SettingsError } from "@newsroom/platform/service/settings";

const siteEnv = z.object({
  SITE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  SITE_HOST: z.string().min(1).default("0.0.0.0"),
  /**
   * Whose X-Forwarded-For to believe for a listener's address (the rate limit's key): by default
   * only proxies on loopback and private networks (an ingress, a load balancer in the cluster), so
   * a client on the internet cannot pick its own address. "true" trusts every hop, "false" none;
   * otherwise a comma-separated list of addresses, CIDR ranges or loopback/linklocal/uniquelocal.
   */
  SITE_TRUST_PROXY: z
    .string()
    .min(1)
    .default("loopback,linklocal,uniquelocal")
    .transform((v): boolean | string => (v === "true" ? true : v === "false" ? false : v)),
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
