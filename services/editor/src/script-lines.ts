// A script's text as the writer produces it ("A: ..." / "B: ..." lines for two anchors) and
// the spoken lines stored in scripts.lines.
import type { ScriptLine } from "@newsroom/platform/db/schema";
import type { PartLanguage } from "@newsroom/platform/editorial/settings";

const SPEAKER = /^\s*[*_]*\s*(A|B|甲|乙|anchor[ _]?a|anchor[ _]?b|主播\s*[AB甲乙])\s*[*_]*\s*[:：]\s*[*_]*\s*/i;

function speakerOf(tag: string): ScriptLine["speaker"] {
  return /^(a|甲|anchor[ _]?a|主播\s*[a甲])$/i.test(tag.trim()) ? "anchor_a" : "anchor_b";
}

/** Spoken lines from writer text. Two anchors: "A:"/"B:" prefixes, or alternating turns when the writer gave none. */
export function parseScript(text: string, anchors: 1 | 2, lang?: PartLanguage): ScriptLine[] {
  const raw = text.split(/\n+/).map((l) => l.trim()).filter(Boolean);
  const tagged = raw.some((l) => SPEAKER.test(l));
  let turns: { speaker: ScriptLine["speaker"]; text: string }[];
  if (tagged || anchors === 1) {
    let current: ScriptLine["speaker"] = "anchor_a";
    turns = raw.map((l) => {
      const m = l.match(SPEAKER);
      if (m) current = speakerOf(m[1]);
      return { speaker: current, text: l.replace(SPEAKER, "").trim() };
    });
  } else {
    // No tags: the writer wrote no conversation. Paragraphs alternate; a single paragraph is
    // the lead's (splitting it by sentence would make split lines, not turns).
    turns = raw.map((t, i) => ({ speaker: i % 2 ? "anchor_b" : "anchor_a", text: t }));
  }
  return turns
    .filter((t) => t.text)
    .map((t) => ({ speaker: anchors === 1 ? "anchor_a" : t.speaker, text: t.text, ...(lang ? { lang } : {}) }));
}

/** The writer's text format again: what a reviser or translator is given. */
export function formatScript(lines: ScriptLine[], anchors: 1 | 2): string {
  return lines.map((l) => (anchors === 2 ? `${l.speaker === "anchor_a" ? "A" : "B"}: ${l.text}` : l.text)).join("\n");
}
