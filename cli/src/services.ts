// The newsroom services, by name, for `newsroom serve` and the embedded edition. The names and
// their order come from the newsroom's map (platform/src/newsroom.ts); the record below must
// name a spec for each of them, and each spec carries its own name. `all` means the pipeline
// (the services that make editions); the listener site is served on its own or beside them.
import { PIPELINE_SERVICES, SERVICE_NAMES, type ServiceName } from "@newsroom/platform/newsroom";
import { SettingsError } from "@newsroom/platform/service/settings";
import type { ServiceSpec } from "@newsroom/platform/service/spec";
import { ingest } from "@newsroom/ingest/service";
import { editor } from "@newsroom/editor/service";
import { factcheck } from "@newsroom/factcheck/service";
import { voice } from "@newsroom/voice/service";
import { publisher } from "@newsroom/publisher/service";
import { site } from "@newsroom/site/service";

const SPECS: { [S in ServiceName]: ServiceSpec<S> } = { ingest, editor, factcheck, voice, publisher, site };

/** The services that make editions (`all`, and the embedded `newsroom edition`). */
export const SERVICES: ServiceSpec[] = PIPELINE_SERVICES.map((name) => SPECS[name]);
/** Every service `newsroom serve` knows. */
export const SERVABLE: ServiceSpec[] = SERVICE_NAMES.map((name) => SPECS[name]);

export function servicesNamed(names: string[]): ServiceSpec[] {
  const unknown = names.filter((n) => n !== "all" && !SERVABLE.some((s) => s.name === n));
  if (unknown.length)
    throw new SettingsError(`unknown service ${unknown.join(", ")}; choose from ${SERVABLE.map((s) => s.name).join(", ")} or all`);
  const wanted = names.includes("all") ? [...SERVICES.map((s) => s.name), ...names] : names;
  return SERVABLE.filter((s) => wanted.includes(s.name));
}
