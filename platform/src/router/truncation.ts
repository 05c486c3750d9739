// Is a prose reply whole? A reply cut off by the token limit, stopping mid-sentence, or shorter
// than the task asked for is never passed on as if it were complete.

export type TruncationReason = "length" | "mid_sentence" | "too_short";

/** Sentence-final punctuation in English and Chinese (and the ellipses both use). */
const SENTENCE_END = /[.!?\u3002\uFF01\uFF1F\u2026\uFF0E\u203C\u2047\u2048\u2049]$/u;
/** What may follow the final punctuation: closing quotes, brackets, markdown emphasis, footnote marks. */
const CLOSERS = /[\s"'\u201D\u2019\u00BB\u203A\u300D\u300F\u3011\u3009\u300B\uFF09)\]}*_~`\uFF02\uFF07]+$/u;

export function truncationReason(text: string, finishReason: string | null | undefined, minChars = 0): TruncationReason | null {
  if (finishReason === "length") return "length";
  if (!endsSentence(text)) return "mid_sentence";
  if (text.trim().length < minChars) return "too_short";
  return null;
}

export function endsSentence(text: string): boolean {
  const body = text.replace(CLOSERS, "");
  return body.length > 0 && SENTENCE_END.test(body);
}

/** Instruction for the continuation call. */
export function continuePrompt(reason: TruncationReason, minChars: number): string {
  if (reason === "too_short")
    return `Your text is too short: it needs at least ${minChars} characters. Continue it from where it ends, adding to it in the same language and style. Reply with only the new text, without repeating what you already wrote.`;
  return "Your reply was cut off. Continue exactly from where it stopped, in the same language and style, and finish it. Reply with only the continuation, without repeating what you already wrote.";
}

/** Joins a reply and its continuation, dropping words the model repeated from the end of the first part. */
export function joinContinuation(first: string, more: string): string {
  const head = first.replace(/\s+$/, "");
  const tail = more.replace(/^\s+/, "");
  const overlap = longestOverlap(head, tail);
  const rest = tail.slice(overlap);
  if (!rest) return head;
  if (overlap > 0) return head + rest;
  // Keep the whitespace the model put at the seam (a new word, a new paragraph); otherwise infer it.
  const seam = first.slice(head.length) + more.slice(0, more.length - tail.length);
  const space = seam ? (seam.includes("\n") ? seam.replace(/[^\n]/g, "") : " ") : needsSpace(head, rest) ? " " : "";
  return head + space + rest;
}

/** Longest suffix of `a` (at least 8 characters, at most 300) that `b` starts with. */
function longestOverlap(a: string, b: string): number {
  for (let n = Math.min(300, a.length, b.length); n >= 8; n--) if (a.endsWith(b.slice(0, n))) return n;
  return 0;
}

const CJK = /[\u3000-\u303F\u3400-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/u;

/** After finished punctuation a new Latin sentence needs a space; CJK text and a word cut in half do not. */
function needsSpace(head: string, rest: string): boolean {
  const last = head.slice(-1);
  const next = rest.slice(0, 1);
  if (CJK.test(last) || CJK.test(next)) return false;
  return endsSentence(head) || /[,;:]$/.test(head);
}
