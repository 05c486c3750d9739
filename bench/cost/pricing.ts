// The arithmetic of bench/cost: one edition's token counts per role, priced under a routing
// (which provider answers each role), plus its audio priced per character by a speech vendor.
// Prices come from a parsed config (examples/providers.yaml), never from this file.
import type { NewsroomConfig } from "@newsroom/platform/config/schema";
import { speechCost } from "@newsroom/platform/ledger/speech";
import { tokenCost } from "@newsroom/platform/router/ledger";
import type { RoleUsage } from "../../test/support/vendor-edition.js";

/** Role -> the provider that answers it (its chain's primary). */
export type Routing = Record<string, string>;

export interface PricedRole {
  role: string;
  provider: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export interface PricedEdition {
  roles: PricedRole[];
  models_usd: number;
  tts_provider: string;
  tts_usd: number;
  total_usd: number;
}

/** Each role's primary provider in the config's chains (a role without a chain uses `default`). */
export function primaryRouting(config: Pick<NewsroomConfig, "roles">, roles: string[]): Routing {
  return Object.fromEntries(
    roles.map((role) => {
      const chain = config.roles[role as keyof NewsroomConfig["roles"]] ?? config.roles.default;
      if (!chain?.length) throw new Error(`roles.${role}: no chain and no roles.default`);
      return [role, chain[0].split("/")[0]];
    }),
  );
}

/** Every role on one provider. */
export function allOn(provider: string, roles: string[]): Routing {
  return Object.fromEntries(roles.map((r) => [r, provider]));
}

/** The edition's chat tokens priced under `routing`, and its TTS characters at `ttsProvider`'s price. */
export function priceEdition(usage: RoleUsage[], routing: Routing, ttsProvider: string, config: Pick<NewsroomConfig, "providers" | "tts_providers">): PricedEdition {
  const roles = usage
    .filter((u) => u.kind === "chat")
    .map((u) => {
      const provider = routing[u.role];
      const p = provider ? config.providers[provider] : undefined;
      if (!p) throw new Error(`role ${u.role}: provider "${provider}" has no prices in the config`);
      return { role: u.role, provider, input_tokens: u.input_tokens, output_tokens: u.output_tokens, cost_usd: tokenCost(p.prices, u.input_tokens, u.output_tokens) };
    });
  const tts = config.tts_providers[ttsProvider];
  if (!tts) throw new Error(`tts provider "${ttsProvider}" is not in the config`);
  const characters = usage.filter((u) => u.kind === "tts").reduce((n, u) => n + u.characters, 0);
  const models_usd = roles.reduce((t, r) => t + r.cost_usd, 0);
  const tts_usd = speechCost(characters, tts.price_per_mchar);
  return { roles, models_usd, tts_provider: ttsProvider, tts_usd, total_usd: models_usd + tts_usd };
}

/** USD per minute of audio at a speech vendor's price, at the edition's characters per minute. */
export function ttsPerMinute(pricePerMchar: number, characters: number, audioMs: number): number {
  return audioMs > 0 ? speechCost(characters, pricePerMchar) / (audioMs / 60_000) : 0;
}
