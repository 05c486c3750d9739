// Sentence splitting for zh and en text with ICU's segmenter (Intl.Segmenter). Whether a text
// ends on a whole sentence is the router's `endsSentence` (router/truncation.ts).

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(lang: string, granularity: "sentence" | "word"): Intl.Segmenter {
  const key = `${lang}:${granularity}`;
  let s = segmenters.get(key);
  if (!s) segmenters.set(key, (s = new Intl.Segmenter(lang, { granularity })));
  return s;
}
export { segmenter };

// ICU breaks after these even though the sentence goes on ("Mr. Smith").
const ABBREVIATION = /(?:^|\s)(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Jr|Sr|No|vs|etc|Inc|Corp|Ltd|Co)\.\s*$/;

// List markers at the start of a line ("* ", "- ", "• ") that HTML-to-text leaves behind.
const BULLET = /^\s*(?:[*•·▪–-]|\d+[.)])\s+/;

/**
 * The sentences of `text`, trimmed, in order. Works for Chinese, English and mixed text.
 * A line break always ends a sentence (headings and list items stay apart from the prose).
 */
export function splitSentences(text: string, lang = "en"): string[] {
  return text.split(/\n+/).flatMap((line) => splitLine(line.replace(BULLET, ""), lang));
}

function splitLine(text: string, lang: string): string[] {
  const out: string[] = [];
  let carry = "";
  for (const { segment } of segmenter(lang === "zh" ? "zh" : "en", "sentence").segment(text.replace(/\s+/g, " "))) {
    const joined = carry + segment;
    if (ABBREVIATION.test(joined)) {
      carry = joined;
      continue;
    }
    // ICU leaves a quote that opens the next sentence on the end of this one ("…胡来？”“"):
    // it goes with the sentence it opens.
    const opening = /[\s\p{Ps}\p{Pi}]+$/u.exec(joined)?.[0] ?? "";
    carry = opening.trim() && opening.length < joined.length ? opening.trimStart() : "";
    const s = joined.slice(0, joined.length - (carry ? opening.length : 0)).trim();
    if (s) out.push(s);
  }
  if (carry.trim()) out.push(carry.trim());
  return joinSpeechTags(out);
}

// ICU also breaks after a quoted question or exclamation that its speech tag follows
// ("'Did I?' Daniels said, ..."): the tag is no sentence of its own.
const QUOTE_END = /[?!？！]['’"”」』]$/u;
const SPEECH_TAG = /^(?:(?:\p{Lu}[\p{Ll}'’-]+\s+){1,3}|(?:[Hh]e|[Ss]he|[Tt]hey)\s+)(?:said|says|asked|asks|told|added|replied|wrote|insisted)\b/u;

function joinSpeechTags(sentences: string[]): string[] {
  const out: string[] = [];
  for (const s of sentences) {
    const last = out.length - 1;
    if (last >= 0 && QUOTE_END.test(out[last]) && SPEECH_TAG.test(s)) out[last] = `${out[last]} ${s}`;
    else out.push(s);
  }
  return out;
}
