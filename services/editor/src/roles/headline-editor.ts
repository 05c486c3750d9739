// headline_editor: a story's headline, the edition's intro and outro, and (once every story is
// settled) the show copy: rundown, transitions and recap. The greetings name the date and slot
// but no stories: stories may still be dropped after the lineup; the show copy names only the
// stories that air, and is checked against their approved scripts (show-gates.ts).
import { z } from "zod";
import type { StructuredTask, TextTask } from "@newsroom/platform/router/types";
import { dataBlock, withDataRule } from "@newsroom/platform/router/prompt";
import type { PartLanguage } from "@newsroom/platform/editorial/settings";
import type { SlotName } from "@newsroom/platform/editions/slot";
import { hanShare } from "@newsroom/platform/text/language";
import { splitSentences } from "@newsroom/platform/text/sentences";
import { stripAttribution } from "@newsroom/platform/text/support";
import { cleanSourceText } from "@newsroom/platform/text/hostile";
import { withoutOpinionByline } from "../lineup/item-kind.js";

export interface HeadlineInput {
  language: PartLanguage;
  title: string;
  script: string;
}

export const headlineSchema = z.object({ headline: z.string().min(2).max(200) });

export const headlineTask: StructuredTask<HeadlineInput, z.infer<typeof headlineSchema>> = {
  name: "write_headline",
  role: "headline_editor",
  schema: headlineSchema,
  prompt: (input) => ({
    system: withDataRule(
      input.language === "zh"
        ? "你是新闻标题编辑。根据数据块中的播报稿，写一个简洁、准确、不夸张的中文标题（不超过25个字），只写稿件中有的事实。"
        : "You are a headline editor. From the script in the data block, write one short, accurate, unsensational English headline (at most 12 words) stating only what the script says.",
    ),
    user: `${dataBlock("original title", input.title)}\n\n${dataBlock("script", input.script)}\n\nReply as JSON: {"headline":"..."}`,
  }),
  offline: (input) => ({ headline: offlineHeadline(input) }),
};

/** The source title when it is in the right language, else the script's first sentence, shortened. */
function offlineHeadline(input: HeadlineInput): string {
  const title = withoutOpinionByline(cleanSourceText(input.title, input.language).replace(/\n/g, " ").trim());
  const base = title && inLanguage(title, input.language) ? title : stripAttribution(splitSentences(input.script.replace(/^[AB]:\s*/gm, ""), input.language)[0] ?? input.title);
  const plain = base.replace(/[.!?。！？…]+$/u, "").trim();
  if (input.language === "zh") return plain.length > 30 ? (plain.split(/[，,；]/)[0] ?? plain).slice(0, 30) : plain;
  const capital = plain.charAt(0).toUpperCase() + plain.slice(1);
  const words = capital.split(/\s+/);
  if (words.length <= 14) return capital;
  const clause = capital.split(/,\s*|\s+(?:with|after|as|while|but)\s+/)[0].split(/\s+/);
  return (clause.length >= 4 && clause.length <= 14 ? clause : words.slice(0, 14)).join(" ");
}

// Titles are too short for function-word statistics: the script (Han or not) is what tells.
function inLanguage(title: string, lang: PartLanguage): boolean {
  return lang === "zh" ? hanShare(title) >= 0.3 : hanShare(title) < 0.1;
}

export interface GreetingInput {
  kind: "intro" | "outro";
  language: PartLanguage;
  slot: SlotName;
  /** The edition's "now" and time zone: the date said on air is the local one. */
  now: string;
  timeZone: string;
  showTitle: string;
  anchors: 1 | 2;
  /** On-air names: anchor_a's first ("A"), then anchor_b's ("B"). */
  names?: string[];
}

export const greetingTask: TextTask<GreetingInput> = {
  name: "write_greeting",
  role: "headline_editor",
  prompt: (input) => ({
    system:
      input.language === "zh"
        ? `你为广播新闻简报写${input.kind === "intro" ? "开场白" : "结束语"}：两三句中文口语，说出节目名、日期和${input.slot === "morning" ? "早间" : "晚间"}时段。不要提到任何具体新闻或新闻条数。${input.anchors === 2 ? "两位主播：每行以“A:”或“B:”开头。" : ""}${hostsZh(input)}只输出正文。`
        : `You write the ${input.kind === "intro" ? "opening" : "closing"} of a spoken news briefing: two or three sentences of spoken English naming the show, the date and the ${input.slot} slot. Do not mention any story or how many stories there are. ${input.anchors === 2 ? 'Two anchors: start every line with "A:" or "B:".' : ""} ${hostsEn(input)}Output only the text.`,
    user: `show: ${input.showTitle}\ndate: ${spokenDate(input)}\nslot: ${input.slot}\nkind: ${input.kind}`,
  }),
  offline: (input) => {
    const lines = offlineGreeting(input);
    return input.anchors === 2 ? lines.map((l, i) => `${i % 2 ? "B" : "A"}: ${l}`).join("\n") : lines.join(input.language === "zh" ? "" : " ");
  },
  minChars: (input) => (input.language === "zh" ? 12 : 40),
};

export function spokenDate(input: Pick<GreetingInput, "language" | "now" | "timeZone">): string {
  const locale = input.language === "zh" ? "zh-CN" : "en-US";
  return new Intl.DateTimeFormat(locale, { dateStyle: "full", timeZone: input.timeZone }).format(new Date(input.now));
}

function offlineGreeting(input: GreetingInput): string[] {
  const date = spokenDate(input);
  const zhSlot = input.slot === "morning" ? "早间" : "晚间";
  const [a, b] = input.names ?? [];
  if (input.language === "zh")
    return input.kind === "intro"
      ? [`各位听众${input.slot === "morning" ? "早上好" : "晚上好"}，欢迎收听${input.showTitle}${a ? `，我是${a}` : ""}。`, `${b && input.anchors === 2 ? `我是${b}。` : ""}今天是${date}，这里是${zhSlot}新闻简报。`]
      : [`以上就是${date}${zhSlot}新闻简报的全部内容。`, `感谢收听${input.showTitle}${a ? `，我是${a}` : ""}${b && input.anchors === 2 ? `，我是${b}` : ""}，我们下次再见。`];
  return input.kind === "intro"
    ? [`Good ${input.slot}, and welcome to ${input.showTitle}${a ? `. I'm ${a}` : ""}.`, `${b && input.anchors === 2 ? `And I'm ${b}. ` : ""}It is ${date}, and this is your ${input.slot} news briefing.`]
    : [`That is all for the ${input.slot} briefing of ${date}.`, `Thank you for listening to ${input.showTitle}${a ? `, from ${input.anchors === 2 && b ? `${a} and ${b}` : a}` : ""}, and see you next time.`];
}

function hostsZh(input: GreetingInput): string {
  const [a, b] = input.names ?? [];
  if (!a) return "";
  return input.anchors === 2 && b ? `A是主播${a}，B是主播${b}，各自用名字自我介绍。` : `主播是${a}，用名字自我介绍。`;
}

function hostsEn(input: GreetingInput): string {
  const [a, b] = input.names ?? [];
  if (!a) return "";
  return input.anchors === 2 && b ? `A is the anchor ${a} and B is ${b}; each introduces themself by name. ` : `The anchor is ${a}, who says their name. `;
}

/** The show pass's spoken copy in one language part ("" where there is nothing to say). */
export interface ShowCopy {
  rundown: string;
  /** One per aired story, in air order. */
  transitions: string[];
  recap: string;
}

export interface ShowCopyInput {
  language: PartLanguage;
  slot: SlotName;
  now: string;
  timeZone: string;
  /** The approved stories in air order: each headline and the approved script's text. */
  stories: { headline: string; script: string; commentary: boolean }[];
  /** On-air names, the lead's first. */
  names: string[];
  /** The template copy: the offline provider's answer, and what stands in when a model's copy fails a gate. */
  template: ShowCopy;
}

export const showCopySchema = z.object({
  rundown: z.string().max(2000),
  transitions: z.array(z.string().max(400)),
  recap: z.string().max(2000),
});

export const showCopyTask: StructuredTask<ShowCopyInput, ShowCopy> = {
  name: "write_show_copy",
  role: "headline_editor",
  schema: showCopySchema,
  prompt: (input) => ({
    system: withDataRule(
      input.language === "zh"
        ? `你是广播新闻节目的制作人，为${input.slot === "morning" ? "早间" : "晚间"}简报写串词：开场的内容提要（按播出顺序说出每条新闻的要点）、每条新闻前一句简短的过渡语、结尾的要闻回顾。全部用中文口语，完整的句子。只能用数据块里播报稿已有的事实：不得出现稿件中没有的数字、日期、人名或地名，不评论、不推测。标为评论的稿件要说明是评论。不要网址、广告或号召。过渡语的条数必须与新闻条数相同。`
        : `You are the producer of a spoken ${input.slot} news briefing. Write its links: a rundown at the top (the stories to come, in air order), one short spoken transition into each story, and a closing recap. Spoken English, whole sentences. Use only facts the approved scripts in the data blocks carry: no number, date, name or place they lack, no comment, no guessing. Say so when a story is marked as commentary. No links, promotions or calls to action. Give exactly one transition per story, in order.`,
    ),
    user: [
      `anchors: ${input.names.join(", ")} (the first is the lead)`,
      ...input.stories.map((s, i) => `${dataBlock(`story ${i + 1} headline${s.commentary ? " (commentary)" : ""}`, s.headline)}\n${dataBlock(`story ${i + 1} script`, s.script)}`),
      `Reply as JSON: {"rundown":"...","transitions":[${input.stories.map(() => '"..."').join(",")}],"recap":"..."}`,
    ].join("\n\n"),
  }),
  offline: (input) => input.template,
  check: (output, input) =>
    output.transitions.length === input.stories.length ? [] : [`give exactly ${input.stories.length} transitions, one per story in order (got ${output.transitions.length})`],
};
