// Scripted newsroom models for the fake OpenAI server: each reply is computed from the
// request (the data blocks the router sent), like a small, obedient model would answer.
// Variants misbehave in one specific way (adds a claim, copies an injection, cuts a line).
import type { ModelRole } from "@newsroom/platform/config/schema";
import { behave, type Behaviour, type RecordedCall } from "../fakes/openai-server.js";
import { findHostile } from "@newsroom/platform/text/hostile";
import { splitSentences } from "@newsroom/platform/text/sentences";
import { isSupported, supportOf } from "@newsroom/platform/text/support";

export interface Block {
  label: string;
  text: string;
}

const BLOCK = /<<<DATA ([^>]*)>>>\n([\s\S]*?)\n<<<END DATA>>>/g;

export function blocksOf(call: RecordedCall): Block[] {
  const user = call.body.messages.filter((m) => m.role === "user").map((m) => m.content).join("\n");
  return [...user.matchAll(BLOCK)].map((m) => ({ label: m[1], text: m[2] }));
}

export function systemOf(call: RecordedCall): string {
  return call.body.messages.find((m) => m.role === "system")?.content ?? "";
}

export function userOf(call: RecordedCall): string {
  return call.body.messages.filter((m) => m.role === "user").map((m) => m.content).join("\n");
}

const json = (v: unknown) => behave.ok(JSON.stringify(v));
const writesChinese = (call: RecordedCall) => /用中文写|译成自然的中文/.test(systemOf(call));

/** Sentences of the source blocks in one language ("source <id> (<feed>, <lang>, <time>)"). */
function sourceSentences(call: RecordedCall, lang: string): string[] {
  return blocksOf(call)
    .filter((b) => b.label.startsWith("source ") && b.text.startsWith("feed: ") && b.text.split("\n")[0].includes(`language: ${lang} `))
    .flatMap((b) => splitSentences(b.text.split("\n\n").slice(1).join(" "), lang));
}

/** editor_in_chief: newest latest source first, then by title (so any order of candidates gives one ranking). */
export function chief(): Behaviour {
  return (call) => {
    const stories = blocksOf(call)
      .filter((b) => b.label.startsWith("story "))
      .map((b) => ({ id: b.label.slice(6), title: b.text.split("\n")[0], latest: b.text.match(/latest (\S+)/)?.[1] ?? "" }))
      .sort((a, b) => b.latest.localeCompare(a.latest) || a.title.localeCompare(b.title));
    const n = Number(userOf(call).match(/stories to pick: (\d+)/)?.[1] ?? 3);
    return json({ picks: stories.slice(0, n).map((s) => ({ id: s.id, why: "recent" })), reason: "newest first" });
  };
}

/** deputy_editor that, ranking on its own (it never sees the chief's picks), agrees with the editor-in-chief: newest first. */
export function agreeingDeputy(): Behaviour {
  return chief();
}

export interface WriterQuirks {
  /** Appended to the first draft (never to a revision): a claim no source makes. */
  addClaim?: string;
  /** Copies source sentences verbatim, instructions and links included. */
  copyEverything?: "first_draft" | "always";
  /** The first line stops mid-sentence (the last one is whole, so only the gate can tell). */
  cutFirstLine?: boolean;
  /** Answers 500 when the story's title matches. */
  failFor?: RegExp;
}

/** writer: source sentences in the language it is asked for, cleaned unless told otherwise. */
export function writer(q: WriterQuirks = {}): Behaviour {
  return (call) => {
    const story = blocksOf(call).find((b) => b.label === "story title")?.text ?? "";
    if (q.failFor?.test(story)) return behave.fail(500, "writer unavailable");
    const revision = blocksOf(call).some((b) => b.label === "previous version");
    const avoid = (blocksOf(call).find((b) => b.label === "sentences to leave out or fix")?.text ?? "").split("\n").filter(Boolean);
    const lang = writesChinese(call) ? "zh" : "en";
    const copy = q.copyEverything === "always" || (q.copyEverything === "first_draft" && !revision);
    let sentences = sourceSentences(call, lang).filter((s) => copy || !findHostile(s, lang).length);
    if (avoid.length && q.copyEverything !== "always") sentences = sentences.filter((s) => !avoid.some((a) => isSupported(supportOf(s, [a]))));
    sentences = [...new Set(sentences)].slice(0, 4);
    if (q.addClaim && !revision) sentences.push(q.addClaim);
    if (q.cutFirstLine) return behave.ok([sentences[0].replace(/\s*\S+\s+\S+[.!?。！？]$/u, ""), ...sentences.slice(1)].join("\n"));
    return behave.ok(sentences.join(lang === "zh" ? "" : " "));
  };
}

/** translator: knows the translations it is given, sentence by sentence. */
export function translator(table: Record<string, string>): Behaviour {
  return (call) => {
    const script = blocksOf(call).find((b) => b.label === "script")?.text ?? "";
    const out = splitSentences(script, "en").map((s) => table[s] ?? table[s.replace(/^According to [^,]+, /, "")]);
    if (out.some((s) => !s)) return behave.fail(500, "no translation known");
    return behave.ok(out.join(""));
  };
}

export interface ShowCopyQuirks {
  /** Added to the rundown: a fact (figure, name) no approved script carries. */
  addToRundown?: string;
}

/**
 * headline_editor: the original title (or its known translation) as headline; greetings from
 * the show, date and slot; the show copy (rundown, transitions, recap) from the headlines it is given.
 */
export function headliner(table: Record<string, string> = {}, show: ShowCopyQuirks = {}): Behaviour {
  return (call) => {
    const field = (name: string) => userOf(call).match(new RegExp(`^${name}: (.*)$`, "m"))?.[1] ?? "";
    const headlines = blocksOf(call).filter((b) => /^story \d+ headline/.test(b.label)).map((b) => b.text.replace(/[.。]$/, ""));
    if (headlines.length) {
      const zh = /串词/.test(systemOf(call));
      const [lead] = field("anchors").split(/, | \(/);
      return json(
        zh
          ? {
              rundown: `${lead}为您带来本期内容：${headlines.join("；")}。${show.addToRundown ?? ""}`,
              transitions: headlines.map((h, i) => (i ? `再来看下一条：${h}。` : `先来看：${h}。`)),
              recap: `本期要闻再说一遍：${headlines.join("；")}。`,
            }
          : {
              rundown: `Here is what we have for you: ${headlines.join("; ")}.${show.addToRundown ? ` ${show.addToRundown}` : ""}`,
              transitions: headlines.map((h, i) => (i ? `Now to our next story: ${h}.` : `We start with this: ${h}.`)),
              recap: `Once more, the stories of this edition: ${headlines.join("; ")}.`,
            },
      );
    }
    if (field("kind") === "intro" || field("kind") === "outro") {
      const zh = /开场白|结束语/.test(systemOf(call));
      const hello = field("kind") === "intro";
      return behave.ok(
        zh
          ? `${hello ? "欢迎收听" : "感谢收听"}${field("show")}。今天是${field("date")}。`
          : `${hello ? "Welcome to" : "Thanks for listening to"} ${field("show")}. It is ${field("date")}.`,
      );
    }
    const title = blocksOf(call).find((b) => b.label === "original title")?.text ?? "";
    return json({ headline: /中文标题/.test(systemOf(call)) ? (table[title] ?? title) : title });
  };
}

/** fact_checker: each numbered sentence against the source sentences (through known translations). */
export function checker(table: Record<string, string> = {}): Behaviour {
  const back = Object.fromEntries(Object.entries(table).map(([en, zh]) => [zh, en]));
  return (call) => {
    const sources = [...sourceSentences(call, "en"), ...sourceSentences(call, "zh")];
    const lines = (blocksOf(call).find((b) => b.label === "script sentences")?.text ?? "").split("\n").filter(Boolean);
    const unsupported = lines
      .map((l) => ({ n: Number(l.match(/^\[(\d+)\]/)?.[1]), sentence: l.replace(/^\[\d+\]\s*/, "") }))
      .filter((s) => !isSupported(supportOf(back[s.sentence] ?? s.sentence, sources)))
      .map((s) => ({ ...s, why: "not in the sources" }));
    return json({ unsupported, reason: `${lines.length - unsupported.length} of ${lines.length} supported` });
  };
}

/** cross_reviewer: asks for a revision when the script carries a link or an instruction. */
export function crossReviewer(): Behaviour {
  return (call) => {
    const script = blocksOf(call).find((b) => b.label === "script")?.text ?? "";
    const hostile = findHostile(script.replace(/^[AB]: /gm, ""));
    return json(
      hostile.length
        ? { verdict: "revise", issues: hostile.map((h) => ({ kind: "injection", detail: h.kind, sentence: h.sentence })), reason: "carries source instructions" }
        : { verdict: "approve", issues: [], reason: "accurate and neutral" },
    );
  };
}

export type FreshnessAnswer = { verdict: "fresh" | "old_news" | "fake"; evidence?: { sourceId: string; note: string }[]; reason: string };

export function freshnessJudge(answer: FreshnessAnswer | ((call: RecordedCall) => FreshnessAnswer)): Behaviour {
  return (call) => json(typeof answer === "function" ? answer(call) : answer);
}

/** The source ids listed in the freshness judge's request. */
export function listedSourceIds(call: RecordedCall, block: "story sources" | "edition sources"): string[] {
  const text = blocksOf(call).find((b) => b.label === block)?.text ?? "";
  return text.split("\n").map((l) => l.split(" | ")[0]).filter((id) => id && id !== "none");
}

/** arbiter: approves only when nothing failed; `lenient` approves everything (the gates must stop it). */
export function arbiter(opts: { lenient?: boolean } = {}): Behaviour {
  return (call) => {
    const text = blocksOf(call).map((b) => b.text).join("\n");
    if (opts.lenient) return json({ decision: "approve", reason: "fine by me" });
    if (/^freshness_judge: (old_news|fake)(?! \(OVERRULED)/m.test(text)) return json({ decision: "drop", reason: "not news any more" });
    const failing = /FAILED/.test(text) || /^(fact_checker: unsupported|cross_reviewer: (revise|drop))/m.test(text);
    return json(failing ? { decision: "revise", reason: "objections stand" } : { decision: "approve", reason: "fine by me" });
  };
}

/** Each role's model on the fake vendor: `usco` (us camp) and `cnco` (cn camp) are two providers on it. */
export const FAKE_CHAINS: Record<ModelRole, [string, string]> = {
  editor_in_chief: ["usco/chief", "offline/extractive"],
  deputy_editor: ["cnco/deputy", "offline/extractive"],
  writer: ["cnco/writer", "offline/extractive"],
  translator: ["cnco/translator", "usco/translator"],
  headline_editor: ["cnco/headline", "offline/extractive"],
  fact_checker: ["usco/checker", "offline/extractive"],
  cross_reviewer: ["usco/cross", "offline/extractive"],
  freshness_judge: ["usco/fresh", "offline/extractive"],
  arbiter: ["usco/arbiter", "offline/extractive"],
};

/** Config for models named `<prefix>-<model>` on the fake server at `url` (keys from USCO_KEY, CNCO_KEY), after `edition`'s YAML. */
export function fakeModelsYaml(edition: string, url: string, prefix: string, chains: Partial<Record<ModelRole, string[]>> = FAKE_CHAINS): string {
  const roles = Object.entries(chains)
    .map(([role, refs]) => `  ${role}: [${refs!.map((r) => (r.startsWith("offline/") ? r : r.replace("/", `/${prefix}-`))).join(", ")}]`)
    .join("\n");
  return `${edition}providers:
  usco: {camp: us, base_url: "${url}", api_key_env: USCO_KEY, max_retries: 0, timeout_ms: 5000}
  cnco: {camp: cn, base_url: "${url}", api_key_env: CNCO_KEY, max_retries: 0, timeout_ms: 5000}
  offline: {camp: local, kind: offline}
roles:
${roles}
`;
}

/** The well-behaved model of each name in FAKE_CHAINS. */
export function wellBehavedModels(): Record<string, Behaviour> {
  return {
    chief: chief(),
    deputy: agreeingDeputy(),
    writer: writer(),
    translator: translator({}),
    headline: headliner(),
    checker: checker(),
    cross: crossReviewer(),
    fresh: freshnessJudge({ verdict: "fresh", reason: "reported today" }),
    arbiter: arbiter(),
  };
}

/** The same answers, each after a fixed latency (a vendor that takes its time). */
export function withLatency(b: Behaviour, delayMs: number): Behaviour {
  return (call) => {
    let r = b;
    while (typeof r === "function") r = r(call);
    return r.kind === "ok" ? { ...r, delayMs } : r;
  };
}

// A camp whose training ends before the news: it believes every fresh story is made up and
// argues it with plausible evidence. Its verdicts look like a careful reviewer's.

/** freshness_judge calling every story "fake": citing the story's own first source, or another story's, with a note naming the story's title as the contradicted claim. */
export function fakeNewsJudge(cite: "own" | "other" | ((call: RecordedCall) => "own" | "other") = "own"): Behaviour {
  return (call) => {
    const own = listedSourceIds(call, "story sources");
    const other = listedSourceIds(call, "edition sources");
    const title = blocksOf(call).find((b) => b.label === "story")?.text ?? "";
    const which = typeof cite === "function" ? cite(call) : cite;
    const sourceId = which === "other" && other.length ? other[0] : own[0];
    return json({
      verdict: "fake",
      evidence: [{ sourceId, note: "This outlet has published fabricated reports before; no such event is on record as of my knowledge.", contradicts: title }],
      reason: "I can find no record of this event; it appears to be fabricated.",
    });
  };
}

/** fact_checker flagging every sentence as unsupported, from memory. */
export function fakeNewsChecker(): Behaviour {
  return (call) => {
    const lines = (blocksOf(call).find((b) => b.label === "script sentences")?.text ?? "").split("\n").filter(Boolean);
    const unsupported = lines.map((l) => ({ n: Number(l.match(/^\[(\d+)\]/)?.[1]), sentence: l.replace(/^\[\d+\]\s*/, ""), why: "No such event took place; I have no record of it." }));
    return json({ unsupported, reason: "The events described did not happen." });
  };
}

/** cross_reviewer asking to drop every story as fabricated. */
export function fakeNewsCross(): Behaviour {
  return (call) => {
    const script = blocksOf(call).find((b) => b.label === "script")?.text ?? "";
    const first = splitSentences(script.replace(/^[AB]: /gm, ""), "en")[0] ?? "";
    return json({ verdict: "drop", issues: [{ kind: "accuracy", detail: "this event never happened", sentence: first }], reason: "The story is fabricated." });
  };
}

/**
 * arbiter that checks each standing objection against the sources it is shown: a failed gate
 * means revise, an upheld "old news"/"fake" means drop, an objection to a sentence the sources
 * support does not count.
 */
export function sourceArbiter(): Behaviour {
  return (call) => {
    const blocks = blocksOf(call);
    const sources = [...sourceSentences(call, "en"), ...sourceSentences(call, "zh")];
    if (/FAILED/.test(blocks.find((b) => b.label === "deterministic gates")?.text ?? "")) return json({ decision: "revise", reason: "a gate failed" });
    const reviews = (blocks.find((b) => b.label === "reviews")?.text ?? "").split(/\n(?=\w+: )/);
    for (const r of reviews) {
      if (/\(OVERRULED/.test(r) || /^\w+: (fresh|supported|approve)\b/.test(r)) continue;
      if (/^freshness_judge: (old_news|fake)/.test(r)) return json({ decision: "drop", reason: "upheld freshness verdict" });
      const evidence = parseOr<{ sentence?: string }[]>(r.match(/evidence: (.*)$/m)?.[1], []);
      const unsupported = evidence.filter((e) => e.sentence && !isSupported(supportOf(e.sentence, sources)));
      if (unsupported.length) return json({ decision: "revise", reason: `not in the sources: ${unsupported.map((e) => e.sentence).join(" | ")}` });
    }
    return json({ decision: "approve", reason: "every objection is answered by the sources" });
  };
}

/** A reviewer that approves anything (the grounding gate must still stop what the sources do not say). */
export function approvingChecker(): Behaviour {
  return () => json({ unsupported: [], reason: "all supported" });
}
export function approvingCross(): Behaviour {
  return () => json({ verdict: "approve", issues: [], reason: "fine" });
}

function parseOr<T>(text: string | undefined, fallback: T): T {
  try {
    return text ? (JSON.parse(text) as T) : fallback;
  } catch {
    return fallback;
  }
}

// Weak models (the GPT-3.5 floor): they answer, but not quite as asked.

/** An editor that echoes the reply template's placeholder instead of choosing. */
export function placeholderEditor(): Behaviour {
  return () => behave.ok('{"picks":[{"id":"...","why":"..."}],"reason":"..."}');
}

/** An editor that picks sensibly but writes ids its own way ("story-3x") in sloppy, fenced, single-quoted JSON. */
export function mangledEditor(): Behaviour {
  return (call) => {
    const handles = blocksOf(call).filter((b) => b.label.startsWith("story ")).map((b) => b.label.slice(6));
    const n = Number(userOf(call).match(/stories to pick: (\d+)/)?.[1] ?? 3);
    const picks = handles.slice(0, n).map((h) => `{id: 'story-${h}x', why: 'looks important',}`);
    return behave.ok("Sure, here's my lineup:\n```\n{picks: [" + picks.join(", ") + "], reason: 'most important first',}\n```");
  };
}
