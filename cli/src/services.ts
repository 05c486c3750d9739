// The five newsroom services, by name, for `newsroom serve` and the embedded edition.
import { SettingsError } from "@newsroom/platform/service/settings";
import type { ServiceSpec } from "@newsroom/platform/service/spec";
import { ingest } from "@newsroom/ingest/service";
import { editor } from "@newsroom/editor/service";
import { factcheck } from "@newsroom/factcheck/service";
import { voice } from "@newsroom/voice/service";
import { publisher } from "@newsroom/publisher/service";

export const SERVICES: ServiceSpec[] = [ingest, editor, factcheck, voice, publisher];

export function servicesNamed(names: string[]): ServiceSpec[] {
  if (names.includes("all")) return SERVICES;
  const unknown = names.filter((n) => !SERVICES.some((s) => s.name === n));
  if (unknown.length)
    throw new SettingsError(`unknown service ${unknown.join(", ")}; choose from ${SERVICES.map((s) => s.name).join(", ")} or all`);
  return SERVICES.filter((s) => names.includes(s.name));
}
