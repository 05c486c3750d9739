// Within one story (storyKey) a persona keeps the voice it was first given, unless that voice
// fails; then the story moves to the next voice for good. A pin is the index in the chain the
// persona uses; a persona with a chain per language has one pin per chain (a lane), while one
// chain shared by both languages is one lane, so a bilingual story keeps one voice on it. The
// oldest stories go first when there are too many, so a long-running service stays small.
import type { Persona } from "@newsroom/platform/config/schema";
import type { VoiceChoice } from "../voices.js";

const MAX_PINNED_STORIES = 5_000;

/** A persona's lane: the persona and the chain of voices it walks. */
export function laneOf(persona: Persona, chain: readonly VoiceChoice[]): string {
  return `${persona}\u0000${chain.map((c) => c.ref).join("\u0001")}`;
}

export interface StoryPins {
  /** Where the lane's chain starts for this story: its pinned voice, or the first (no story: the first). */
  start(storyKey: string | undefined, lane: string): number;
  /** The story keeps the lane's voice `index` from now on. */
  pin(storyKey: string | undefined, lane: string, index: number): void;
  /** The pinned index of a lane in a story, if any. */
  get(storyKey: string, lane: string): number | undefined;
  forget(storyKey: string): void;
}

export function createStoryPins(max = MAX_PINNED_STORIES): StoryPins {
  // storyKey -> lane -> index in the lane's chain; a Map keeps insertion order (oldest story first).
  const stories = new Map<string, Map<string, number>>();
  const get = (storyKey: string, lane: string) => stories.get(storyKey)?.get(lane);
  return {
    start: (storyKey, lane) => (storyKey ? (get(storyKey, lane) ?? 0) : 0),
    pin(storyKey, lane, index) {
      if (!storyKey) return;
      const lanes = stories.get(storyKey) ?? new Map<string, number>();
      stories.delete(storyKey);
      stories.set(storyKey, lanes.set(lane, index));
      if (stories.size > max) stories.delete(stories.keys().next().value!);
    },
    get,
    forget: (storyKey) => void stories.delete(storyKey),
  };
}
