// Corrections at the top of the show: each upheld listener report of this show not yet read on
// air is read by the lead anchor right after the greeting ("更正：…" / "A correction: …"), and
// marked as read in this edition in the same commit as the intro.
import type { Transaction } from "kysely";
import type { NewsroomConfig } from "@newsroom/platform/config/schema";
import type { Database, Edition, ScriptLine } from "@newsroom/platform/db/schema";
import { pendingCorrections } from "@newsroom/platform/editorial/reports";
import type { PartLanguage } from "@newsroom/platform/editorial/settings";
import { showSlug } from "@newsroom/platform/editions/show-slug";

/** The correction lines of one language part, by language; reports read here are marked with this edition. */
export async function correctionsForIntro(tx: Transaction<Database>, edition: Pick<Edition, "id" | "config">, langs: PartLanguage[]): Promise<Map<PartLanguage, string[]>> {
  const pending = await pendingCorrections(tx, showSlug(edition.config as NewsroomConfig), edition.id);
  const byLang = new Map<PartLanguage, string[]>(langs.map((l) => [l, []]));
  for (const r of pending) {
    const lines = r.correction?.lines ?? {};
    const said = Object.values(lines)[0];
    if (!said) continue;
    // A show whose language changed since still hears the correction, in the words it has.
    for (const lang of langs) byLang.get(lang)!.push(lines[lang] ?? said);
  }
  if (pending.length)
    await tx
      .updateTable("reports")
      .set({ corrected_in: edition.id })
      .where("id", "in", pending.map((r) => r.id))
      .execute();
  return byLang;
}

export function correctionScriptLines(corrections: Map<PartLanguage, string[]>, lang: PartLanguage, speaker: ScriptLine["speaker"], bilingual: boolean): ScriptLine[] {
  return (corrections.get(lang) ?? []).map((text) => ({ speaker, text, ...(bilingual ? { lang } : {}) }));
}
