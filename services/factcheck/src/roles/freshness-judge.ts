// freshness_judge: is the story fresh, old news, or fake? "old_news" and "fake" must cite
// evidence; the guard (freshness-guard.ts) overrules any that do not hold against the sources.
import { z } from "zod";
import type { StructuredTask } from "@newsroom/platform/router/types";
import { dataBlock } from "@newsroom/platform/router/prompt";
import type { EditionConfig } from "@newsroom/platform/config/schema";
import { systemPrompt } from "@newsroom/platform/editorial/wording";

export interface DatedSource {
  id: string;
  feed: string;
  title: string;
  publishedAt: string;
}

export interface FreshnessInput {
  language: EditionConfig["language"];
  now: string;
  windowHours: number;
  story: { id: string; title: string };
  sources: DatedSource[];
  /** Other sources of the same edition: a judge may cite one as an earlier or contradicting report. */
  related: (DatedSource & { storyId: string })[];
}

export const freshnessSchema = z.object({
  verdict: z.enum(["fresh", "old_news", "fake"]),
  evidence: z
    .array(
      z.object({
        sourceId: z.string(),
        publishedAt: z.string().optional(),
        note: z.string().default(""),
        contradicts: z.string().optional().describe("for fake: the sentence of the story's sources that this source contradicts, quoted"),
      }),
    )
    .default([])
    .describe("for old_news: an earlier dated source; for fake: a contradicting source (ids from the data), never one of the story's own sources"),
  reason: z.string(),
});
export type FreshnessVerdict = z.infer<typeof freshnessSchema>;

export function windowStart(now: string, windowHours: number): number {
  return new Date(now).getTime() - windowHours * 3_600_000;
}

export const freshnessJudgeTask: StructuredTask<FreshnessInput, FreshnessVerdict> = {
  name: "judge_freshness",
  role: "freshness_judge",
  schema: freshnessSchema,
  prompt: (input) => ({
    system: systemPrompt(input.language, {
      zh: `你判断一条新闻对于 ${input.now} 播出的节目是否新鲜（节目时间窗口为 ${input.windowHours} 小时）。verdict：fresh、old_news（旧闻）或 fake（不实）。判 old_news 必须引用一条比本条新闻最早来源更早的其他来源，判 fake 必须引用一条与之矛盾的其他来源（用数据中的来源 id），并在 contradicts 中原文引用被反驳的句子。本条新闻自己的来源不能作为证据。你没听说过某事不是证据；没有证据就判 fresh。`,
      en: `You judge whether a story is fresh for a briefing airing at ${input.now} (the edition's window is ${input.windowHours} hours). verdict: fresh, old_news or fake. "old_news" must cite another source dated before the story's first source, and "fake" another source that contradicts it, by source id from the data, quoting the contradicted sentence in "contradicts". The story's own sources are never evidence against it, and not having heard of an event is no evidence; without such evidence the verdict is fresh.`,
    }),
    user:
      `${dataBlock("story", input.story.title)}\n\n` +
      dataBlock("story sources", input.sources.map((s) => `${s.id} | ${s.publishedAt} | ${s.feed} | ${s.title}`).join("\n")) +
      "\n\n" +
      dataBlock("edition sources", input.related.map((s) => `${s.id} | ${s.publishedAt} | ${s.feed} | ${s.title}`).join("\n") || "none") +
      '\n\nReply as JSON: {"verdict":"fresh|old_news|fake","evidence":[{"sourceId":"...","publishedAt":"...","note":"...","contradicts":"..."}],"reason":"..."}',
  }),
  // Offline: timestamps only. A source dated before the window makes it old news (citing that
  // source); the offline judge cannot tell a fake, and says so.
  offline: (input) => {
    const start = windowStart(input.now, input.windowHours);
    const times = input.sources.map((s) => s.publishedAt).sort();
    const old = input.sources.filter((s) => new Date(s.publishedAt).getTime() < start);
    if (old.length)
      return {
        verdict: "old_news",
        evidence: old.map((s) => ({ sourceId: s.id, publishedAt: s.publishedAt, note: `dated before the window opened (${new Date(start).toISOString()})` })),
        reason: `Offline: ${old.length} of ${input.sources.length} sources dated before the ${input.windowHours}-hour window.`,
      };
    return {
      verdict: "fresh",
      evidence: [],
      reason: `Offline: all ${input.sources.length} sources dated inside the ${input.windowHours}-hour window (${times[0] ?? "none"} to ${times.at(-1) ?? "none"}, now ${input.now}); whether a story is fake cannot be judged extractively.`,
    };
  },
};
