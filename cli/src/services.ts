// The five newsroom services, by name, for `newsroom serve` and the embedded edition; and the
// listener site, served on its own (`newsroom serve site`) or beside them.
import { SettingsError } from "@newsroom/platform/service/settings";
import type { ServiceSpec } from "@newsroom/platform/service/spec";
import { ingest } from "@newsroom/ingest/service";
import { editor } from "@newsroom/editor/service";
import { factcheck } from "@newsroom/factcheck/service";
import { voice } from "@newsroom/voice/service";
import { publisher } from "@newsroom/publisher/service";
import { site } from "@newsroom/site/service";

/** The services that make editions (`all`, and the embedded `newsroom edition`). */
export const SERVICES: ServiceSpec[] = [ingest, editor, factcheck, voice, publisher];
const SERVABLE: ServiceSpec[] = [...SERVICES, site];

export function servicesNamed(names: string[]): ServiceSpec[] {
  const unknown = names.filter((n) => n !== "all" && !SERVABLE.some((s) => s.name === n));
  if (unknown.length)
    throw new SettingsError(`unknown service ${unknown.join(", ")}; choose from ${SERVABLE.map((s) => s.name).join(", ")} or all`);
  const wanted = names.includes("all") ? [...SERVICES.map((s) => s.name), ...names] : names;
  return SERVABLE.filter((s) => wanted.includes(s.name));
}
