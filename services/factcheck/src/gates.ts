// Deterministic gates no model can override: a script that fails one is never approved.
//   truncation: a line stopping mid-sentence, or a script far under its target length (under
//               40% of the target, or of what its sources hold when they are shorter);
//   injection:  links, instructions or promotions in the script, or sentences repeating a
//               hostile source sentence;
//   language:   a part not written in its language (the edition's language holds even when
//               every source is in another);
//   grounding:  a sentence stating a number, amount, date or named person or place that no
//               source gives (in either language, after normalising: see grounding.ts).
import type { EditionConfig } from "@newsroom/platform/config/schema";
import { partTargetWords } from "@newsroom/platform/editorial/settings";
import { sourceTexts, usableWords, type SourceBrief } from "@newsroom/platform/editorial/sources";
import { endsSentence } from "@newsroom/platform/router/truncation";
import { carriedHostile } from "@newsroom/platform/text/hostile";
import { detectLanguage } from "@newsroom/platform/text/language";
import { lengthFloor, spokenWords } from "@newsroom/platform/text/length";
import { words } from "@newsroom/platform/text/words";
import { sourceFacts, ungrounded, type SourceFacts } from "./grounding.js";
import type { ScriptPart } from "./script-parts.js";

export type GateName = "truncation" | "injection" | "language" | "grounding";

export interface GateVerdict {
  gate: GateName;
  passed: boolean;
  detail: string;
  /** Items with a `sentence` field are left out of the next version by the writer. */
  evidence: { sentence?: string; [k: string]: unknown }[];
}

export function runGates(parts: ScriptPart[], sources: SourceBrief[], settings: EditionConfig): GateVerdict[] {
  return [truncationGate(parts, sources, settings), injectionGate(parts, sources), languageGate(parts), groundingGate(parts, sources)];
}

/** What the sources say, for the grounding rules: titles, texts and the names of the feeds that reported them. */
export function groundingFacts(sources: SourceBrief[]): SourceFacts {
  return sourceFacts([...sourceTexts(sources), ...sources.map((s) => s.feed)]);
}

function groundingGate(parts: ScriptPart[], sources: SourceBrief[]): GateVerdict {
  const known = groundingFacts(sources);
  const evidence = parts.flatMap((p) =>
    p.sentences.flatMap((sentence) => {
      const missing = ungrounded(sentence, known);
      return missing.length ? [{ sentence, missing: missing.map((f) => `${f.kind} "${f.text}"`) }] : [];
    }),
  );
  const passed = evidence.length === 0;
  return {
    gate: "grounding",
    passed,
    detail: passed
      ? "every number, date and name is in the sources"
      : `not in any source: ${evidence.map((e) => `${e.missing.join(", ")} in "${e.sentence.slice(0, 120)}"`).join("; ")}`,
    evidence,
  };
}

function truncationGate(parts: ScriptPart[], sources: SourceBrief[], settings: EditionConfig): GateVerdict {
  const evidence: GateVerdict["evidence"] = [];
  if (!parts.length) evidence.push({ problem: "empty script" });
  for (const part of parts) {
    for (const line of part.lines) if (!endsSentence(line.text)) evidence.push({ problem: "ends mid-sentence", line: line.text.slice(-80) });
    // What the sources in its language allow; a translated part is measured against all sources.
    const material = usableWords(sources, part.lang) || Math.max(0, ...sources.map((s) => usableWords(sources, s.language)));
    const floor = lengthFloor(partTargetWords(settings), material);
    const length = spokenWords(part.text);
    if (length < floor) evidence.push({ problem: "far under target length", lang: part.lang, words: length, floor, target: partTargetWords(settings) });
  }
  const passed = evidence.length === 0;
  return { gate: "truncation", passed, detail: passed ? "every line ends on a whole sentence; length within reach of the target" : describe(evidence), evidence };
}

function injectionGate(parts: ScriptPart[], sources: SourceBrief[]): GateVerdict {
  const evidence = parts.flatMap((p) =>
    carriedHostile(p.text, sourceTexts(sources), p.lang).map((f) => ({ sentence: f.sentence, kind: f.kind, match: f.match })),
  );
  const passed = evidence.length === 0;
  return {
    gate: "injection",
    passed,
    detail: passed ? "no links, instructions or promotions" : `carries ${evidence.map((e) => `a ${e.kind} ("${e.match.slice(0, 60)}")`).join(", ")}`,
    evidence,
  };
}

function languageGate(parts: ScriptPart[]): GateVerdict {
  const evidence: GateVerdict["evidence"] = [];
  for (const part of parts) {
    const read = detectLanguage(part.text);
    const ok = part.lang === "zh" ? read === "zh" : read === "en" || (read === "other" && words(part.text).length < 8);
    if (!ok) evidence.push({ problem: `the ${part.lang} part reads as ${read}`, lang: part.lang, read });
  }
  const passed = evidence.length === 0;
  return { gate: "language", passed, detail: passed ? "every part is in its language" : describe(evidence), evidence };
}

function describe(evidence: GateVerdict["evidence"]): string {
  return evidence.map((e) => Object.entries(e).map(([k, v]) => `${k}: ${String(v)}`).join(", ")).join("; ");
}
