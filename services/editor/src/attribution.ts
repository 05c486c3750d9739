// Who reported it, said the way radio says it: the form changes from story to story, so a show
// never opens story after story with the same phrase ("据…报道，…" six times over). Six places
// in a row get six different openings, two of which lead with the news and leave the source to
// the page; so no opening covers more than a third of any show of three stories or more.
// Every form here is one platform/src/text/support.ts strips before checking a claim.
import type { PartLanguage } from "@newsroom/platform/editorial/settings";

type Form = (lowered: string, sentence: string, name: string) => string;

const ZH: Form[] = [
  (_l, s, n) => `据${n}报道，${s}`,
  (_l, s, n) => `${n}消息，${s}`,
  (_l, s) => s,
  (_l, s, n) => `${n}报道说，${s}`,
  (_l, s) => s,
  (_l, s, n) => `来自${n}的消息说，${s}`,
];

const EN: Form[] = [
  (l, _s, n) => `According to ${n}, ${l}`,
  (l, _s, n) => `${n} reports that ${l}`,
  (_l, s) => s,
  (l, _s, n) => `As ${n} reports, ${l}`,
  (_l, s) => s,
  (l, _s, n) => `${n} reported that ${l}`,
];

/** `sentence` attributed to `name` in the form for this place in the show (1-based). */
export function attribute(lowered: string, sentence: string, name: string, lang: PartLanguage, position: number): string {
  const forms = lang === "zh" ? ZH : EN;
  return forms[(Math.max(1, position) - 1) % forms.length](lowered, sentence, name);
}

/** A commentary's opening, said as one: its views are the writer's, not reported fact. */
export function attributeCommentary(lowered: string, sentence: string, name: string, lang: PartLanguage): string {
  return lang === "zh" ? `${name}评论文章说，${sentence}` : `In a commentary, ${name} argues that ${lowered}`;
}
