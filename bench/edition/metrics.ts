// What bench/edition reports about one edition's model calls (timings from the `chat` spans):
// how long the longest story took, how far the stories spread apart, how much of each story's
// time no model was running, and how far the whole is from the model-latency critical path.
import type { ModelCallTiming } from "../../test/support/vendor-edition.js";

export interface EditionFigures {
  stories: number;
  calls: number;
  /** First model call to the last one, every call of the edition (lineup and greetings included). */
  editorialMs: number;
  /** The longest story: its first call's start to its last call's end. */
  longestStoryMs: number;
  /** First call to last call across the stories' calls, divided by the longest story. */
  spread: number;
  /** Share of the stories' time (first to last call of each, summed) in which none of its calls was running. */
  idleShare: number;
  /** Edition-wide calls' running time before the first story call, plus the longest story's running time. */
  criticalPathMs: number;
  /** editorialMs / criticalPathMs. */
  toCriticalPath: number;
  /** Longest wait for a provider's limit. */
  maxQueuedMs: number;
}

export function editionFigures(calls: ModelCallTiming[]): EditionFigures {
  const byStory = new Map<string, ModelCallTiming[]>();
  for (const c of calls) if (c.storyId) byStory.set(c.storyId, [...(byStory.get(c.storyId) ?? []), c]);
  const storyCalls = calls.filter((c) => c.storyId);
  const stories = [...byStory.values()].map((cs) => {
    const first = Math.min(...cs.map((c) => c.start));
    const last = Math.max(...cs.map((c) => c.end));
    return { span: last - first, busy: busyTime(cs) };
  });
  const longest = Math.max(...stories.map((s) => s.span));
  const firstStoryCall = Math.min(...storyCalls.map((c) => c.start));
  const lead = calls.filter((c) => !c.storyId && c.end <= firstStoryCall);
  const criticalPathMs = busyTime(lead) + Math.max(...stories.map((s) => s.busy));
  const editorialMs = Math.max(...calls.map((c) => c.end)) - Math.min(...calls.map((c) => c.start));
  const totalSpan = stories.reduce((n, s) => n + s.span, 0);
  return {
    stories: byStory.size,
    calls: calls.length,
    editorialMs,
    longestStoryMs: longest,
    spread: (Math.max(...storyCalls.map((c) => c.end)) - firstStoryCall) / longest,
    idleShare: totalSpan ? stories.reduce((n, s) => n + (s.span - s.busy), 0) / totalSpan : 0,
    criticalPathMs,
    toCriticalPath: editorialMs / criticalPathMs,
    maxQueuedMs: Math.max(0, ...calls.map((c) => c.queuedMs)),
  };
}

/** Time covered by at least one of the calls (the union of their intervals). */
function busyTime(calls: ModelCallTiming[]): number {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  let total = 0;
  let [from, to] = [-Infinity, -Infinity];
  for (const c of sorted) {
    if (c.start > to) {
      if (to > from) total += to - from;
      [from, to] = [c.start, c.end];
    } else to = Math.max(to, c.end);
  }
  if (to > from) total += to - from;
  return total;
}
