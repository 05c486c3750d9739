// The settings an edition is made with: the config snapshot stored on the editions row
// (so a running edition is not changed by a config edit), else the process's config.
import { configSchema, type EditionConfig } from "../config/schema.js";
import type { Edition } from "../db/schema.js";

export type PartLanguage = "zh" | "en";

export function editionSettings(edition: Pick<Edition, "language" | "config">, fallback: EditionConfig): EditionConfig {
  const stored = configSchema.shape.edition.safeParse((edition.config as { edition?: unknown } | null)?.edition);
  return { ...(stored.success ? stored.data : fallback), language: edition.language };
}

/** The language parts a story script has: one, or zh then en for bilingual editions. */
export function partLanguages(language: EditionConfig["language"]): PartLanguage[] {
  return language === "bilingual" ? ["zh", "en"] : [language];
}

/** Target length of one language part: a bilingual story says it twice in half the words each. */
export function partTargetWords(settings: EditionConfig): number {
  return settings.language === "bilingual" ? Math.round(settings.target_words / 2) : settings.target_words;
}
