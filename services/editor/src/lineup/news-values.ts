// The stated news values both editors rank by, for the audience the config names. Short on
// purpose: the prompt must leave room for the candidates on a 16k-context model.
import type { LineupInput } from "./candidates.js";

export function newsValues(input: Pick<LineupInput, "audience" | "stories">): { zh: string; en: string } {
  const audience = input.audience.trim().replace(/[.。;；]+$/u, "");
  return {
    zh:
      `听众：${audience}。\n` +
      `按以下新闻价值排序，依次考虑：\n` +
      `1. 影响：对这些听众的生活、钱袋、安全或权利改变有多大；\n` +
      `2. 新鲜：是否是新进展，而不是背景或没有新内容的旧闻；\n` +
      `3. 传播面：报道它的不同媒体有多少（每条候选新闻的 reach 已由程序统计）；\n` +
      `4. 贴近：与这些听众在地域和关切上有多近。\n` +
      `整档节目的${input.stories}条要涵盖不同领域（时政、经济、社会、国际、科技、体育等），同一事件只选一条。每条的 why 写明它符合哪些价值。`,
    en:
      `Audience: ${audience}.\n` +
      `Rank by these news values, in this order:\n` +
      `1. impact: how much it changes this audience's lives, money, safety or rights;\n` +
      `2. novelty: a new development, not background or a rerun with nothing new;\n` +
      `3. reach: how many different outlets carry it (counted for you in each story's "reach" line);\n` +
      `4. proximity: how close it is to this audience, in place and in concern.\n` +
      `Across the ${input.stories} stories, vary the topics (politics, economy, society, world, science, sport...); never two stories about the same event. Each pick's "why" names the values it meets.`,
  };
}
