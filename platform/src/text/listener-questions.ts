// The questions a co-host asks on a listener's behalf ("Lin, what else do we know?" /
// "林晓，具体是怎么回事？"): fixed forms that carry no fact, so the offline writer can put them
// in a conversation and the deterministic checks (support, grounding) know them for what they
// are: a hand-off to the lead, not a claim. Only the lead's name (a few capitalised words or
// up to four Han characters) may stand before them.

const EN = ["what else do we know?", "what are the details?", "what more do the reports say?", "can you tell us more?"];
const ZH = ["具体是怎么回事？", "还有哪些细节？", "报道里还说了什么？", "能再多说一点吗？"];

/** The `index`th question form in `lang`, addressed to `lead` when a name is given. */
export function listenerQuestion(lang: "zh" | "en", index: number, lead?: string): string {
  const forms = lang === "zh" ? ZH : EN;
  const q = forms[Math.abs(index) % forms.length];
  if (lang === "zh") return lead ? `${lead}，${q}` : q;
  return lead ? `${lead}, ${q}` : q.charAt(0).toUpperCase() + q.slice(1);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const FORMS = [...EN, ...ZH].map(escape).join("|");
const VOCATIVE = String.raw`(?:\p{Lu}[\p{Ll}'’-]+(?:\s\p{Lu}[\p{Ll}'’-]+){0,2}|\p{Script=Han}{2,4})[,，]\s*`;
const QUESTION = new RegExp(`^\\s*(?:${VOCATIVE})?(?:${FORMS})\\s*$`, "iu");

/** Whether `sentence` is one of the listener questions (so states nothing to check). */
export function isListenerQuestion(sentence: string): boolean {
  return QUESTION.test(sentence);
}
