// Within one story (storyKey) a persona keeps the voice it was first given, unless that voice
// fails; then the story moves to the next voice for good. A pin is the index in the persona's
// chain; the oldest pins go first when there are too many, so a long-running service stays small.
import { PERSONAS, type Persona } from "@newsroom/platform/config/schema";
import type { SynthesizeOptions } from "./types.js";

const MAX_PINNED_STORIES = 5_000;

export interface StoryPins {
  /** Where the persona's chain starts for this request: its story's pinned voice, or the first. */
  start(opts: SynthesizeOptions): number;
  /** The request's story keeps the chain's voice `index` from now on. */
  pin(opts: SynthesizeOptions, index: number): void;
  /** The pinned index of a persona in a story, if any. */
  get(storyKey: string, persona: Persona): number | undefined;
  forget(storyKey: string): void;
}

export function createStoryPins(max = MAX_PINNED_STORIES): StoryPins {
  // storyKey + persona -> index in the persona's chain; a Map keeps insertion order (oldest first).
  const pins = new Map<string, number>();
  const key = (storyKey: string, persona: Persona) => `${storyKey}\u0000${persona}`;
  return {
    start: (opts) => (opts.storyKey ? (pins.get(key(opts.storyKey, opts.persona)) ?? 0) : 0),
    pin(opts, index) {
      if (!opts.storyKey) return;
      const k = key(opts.storyKey, opts.persona);
      pins.delete(k);
      pins.set(k, index);
      if (pins.size > max) pins.delete(pins.keys().next().value!);
    },
    get: (storyKey, persona) => pins.get(key(storyKey, persona)),
    forget(storyKey) {
      for (const persona of PERSONAS) pins.delete(key(storyKey, persona));
    },
  };
}
