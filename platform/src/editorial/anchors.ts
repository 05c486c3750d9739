// The anchors as people: each persona's on-air name (per language) and role. The lead carries
// the stories; the co-host, in two-anchor editions, asks what a listener would ask or adds
// context from the sources. Names appear in greetings, WebVTT voice tags, the page and
// edition.json; personas (anchor_a/anchor_b) stay the keys for voices and stored lines.
import type { NewsroomConfig, Persona } from "../config/schema.js";

export type AnchorRole = "lead" | "co-host";

export interface Anchor {
  persona: Persona;
  name: string;
  role: AnchorRole;
}

const DEFAULT_NAMES: Record<Persona, { zh: string; en: string }> = {
  anchor_a: { zh: "林晓", en: "Lin" },
  anchor_b: { zh: "周航", en: "Sam" },
};

/** The edition's anchors in the language given (zh for bilingual), the lead first. */
export function showAnchors(config: Pick<NewsroomConfig, "anchors">, count: 1 | 2, language: string): Anchor[] {
  const lang = language === "en" ? "en" : "zh";
  const personas: Persona[] = count === 2 ? ["anchor_a", "anchor_b"] : ["anchor_a"];
  const all = personas.map((persona): Anchor => {
    const set = config.anchors?.[persona];
    const name = typeof set?.name === "string" ? set.name : (set?.name?.[lang] ?? DEFAULT_NAMES[persona][lang]);
    return { persona, name, role: set?.role ?? (persona === "anchor_a" ? "lead" : "co-host") };
  });
  // One anchor always leads, whatever role the config gave the persona.
  if (count === 1) return [{ ...all[0], role: "lead" }];
  return all.sort((a, b) => (a.role === "lead" ? -1 : b.role === "lead" ? 1 : 0));
}

/** persona -> on-air name, for voice tags and the page. */
export function anchorNames(config: Pick<NewsroomConfig, "anchors">, count: 1 | 2, language: string): Record<string, string> {
  return Object.fromEntries(showAnchors(config, count, language).map((a) => [a.persona, a.name]));
}
