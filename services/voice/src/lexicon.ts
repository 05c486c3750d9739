// The pronunciation lexicon: lexicon/default.yaml plus the user's own file (NEWSROOM_LEXICON),
// whose entries win. Bad files fail with a message naming the file and the entry.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";

export type SpeechLanguage = "zh" | "en";

export interface Lexicon {
  /** Exact spelling -> what to say, per language (absent: said as written). */
  terms: Map<string, Partial<Record<SpeechLanguage, string>>>;
  /** Unit symbol after a number -> English [singular, plural] and Mandarin. */
  units: Map<string, { en: [string, string]; zh: string }>;
}

export const DEFAULT_LEXICON_FILE = fileURLToPath(new URL("../lexicon/default.yaml", import.meta.url));

const said = z.string().min(1);
const fileSchema = z
  .object({
    terms: z.record(z.string().min(1), z.union([said, z.object({ en: said.optional(), zh: said.optional() }).strict()])).default({}),
    units: z
      .record(z.string().min(1), z.object({ en: z.union([said, z.tuple([said, said])]), zh: said }).strict())
      .default({}),
  })
  .strict();

export class LexiconError extends Error {
  override name = "LexiconError";
}

/** The default lexicon, extended by the file NEWSROOM_LEXICON names (when set). */
export function loadLexicon(env: NodeJS.ProcessEnv = process.env): Lexicon {
  const lexicon: Lexicon = { terms: new Map(), units: new Map() };
  addFile(lexicon, DEFAULT_LEXICON_FILE);
  if (env.NEWSROOM_LEXICON) addFile(lexicon, env.NEWSROOM_LEXICON);
  return lexicon;
}

export function addFile(lexicon: Lexicon, file: string): Lexicon {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, "utf8")) ?? {};
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message.split("\n")[0];
    throw new LexiconError(`lexicon ${file}: cannot read it (${why})`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LexiconError(`lexicon ${file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  for (const [term, value] of Object.entries(parsed.data.terms))
    lexicon.terms.set(term, typeof value === "string" ? { en: value, zh: value } : value);
  for (const [unit, value] of Object.entries(parsed.data.units))
    lexicon.units.set(unit, { en: typeof value.en === "string" ? [value.en, value.en] : value.en, zh: value.zh });
  return lexicon;
}
