// The newsroom services, by name, for `newsroom serve` and the embedded edition. The names and
// their order come from the newsroom's map (platform/src/newsroom.ts); the record below must
// name a spec for each of them, and each spec carries its own name.
import { SERVICE_NAMES, type ServiceName } from "@newsroom/platform/newsroom";
import { SettingsError } from "@newsroom/platform/service/settings";
import type { ServiceSpec } from "@newsroom/platform/service/spec";
import { ingest } from "@newsroom/ingest/service";
import { editor } from "@newsroom/editor/service";
import { factcheck } from "@newsroom/factcheck/service";
import { voice } from "@newsroom/voice/service";
import { publisher } from "@newsroom/publisher/service";

const SPECS: { [S in ServiceName]: ServiceSpec<S> } = { ingest, editor, factcheck, voice, publisher };

export const SERVICES: ServiceSpec[] = SERVICE_NAMES.map((name) => SPECS[name]);

export function servicesNamed(names: string[]): ServiceSpec[] {
  if (names.includes("all")) return SERVICES;
  const unknown = names.filter((n) => !SERVICES.some((s) => s.name === n));
  if (unknown.length)
    throw new SettingsError(`unknown service ${unknown.join(", ")}; choose from ${SERVICES.map((s) => s.name).join(", ")} or all`);
  return SERVICES.filter((s) => names.includes(s.name));
}
