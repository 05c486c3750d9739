// The curator: items inside the edition's window (../window.ts), in radio copy
// (../radio-copy.ts), deduplicated and clustered into candidate stories (../cluster.ts). Each
// story is dated by its earliest source.
import { detectLanguage } from "@newsroom/platform/text/language";
import { radioCopy, radioTitle } from "../radio-copy.js";
import { clusterStories, dedupe, type Duplicate } from "../cluster.js";
import type { ScoutedItem } from "./scout.js";
import { applyWindow, type OutOfWindow, type WindowOptions } from "../window.js";

export type DatedItem = ScoutedItem & { published: Date; language: string };

export interface CandidateStory {
  clusterKey: string;
  title: string;
  summary: string;
  language: string;
  firstPublished: Date;
  /** Earliest first. */
  sources: DatedItem[];
}

export interface Curation {
  stories: CandidateStory[];
  outOfWindow: OutOfWindow<ScoutedItem>[];
  duplicates: Duplicate<DatedItem>[];
}

export function curate(items: ScoutedItem[], window: WindowOptions): Curation {
  const { kept, dropped } = applyWindow(items, window);
  // Radio copy before anything reads the text: datelines and bylines are not what a story says.
  const dated = kept.map((item) => {
    const spoken = { ...item, title: radioTitle(item.title), summary: radioCopy(item.summary), content: radioCopy(item.content) };
    return { ...spoken, language: item.language ?? readLanguage(spoken) };
  });
  const { unique, duplicates } = dedupe(dated);
  const stories = clusterStories(unique).map((c): CandidateStory => {
    const lead = c.items[0];
    return {
      clusterKey: c.key,
      title: lead.title,
      summary: lead.summary || longest(c.items.map((i) => i.summary)),
      language: lead.language,
      firstPublished: c.firstPublished,
      sources: c.items,
    };
  });
  // Most sources first, then newest: the order the editor sees candidates in.
  stories.sort((a, b) => b.sources.length - a.sources.length || b.firstPublished.getTime() - a.firstPublished.getTime());
  return { stories, outOfWindow: dropped, duplicates };
}

function readLanguage(item: ScoutedItem): string {
  const read = detectLanguage(`${item.title} ${item.summary}`);
  return read === "other" ? "und" : read;
}

function longest(texts: string[]): string {
  return texts.reduce((a, b) => (b.length > a.length ? b : a), "");
}
