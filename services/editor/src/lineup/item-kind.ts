// What a candidate is, before any editor sees it: news, or a promotion, a commentary or a live
// blog, recognised by the marks outlets put on them. Promotions and live blogs stay out of the
// lineup (a live blog's minute-by-minute lines are not a story); commentary is left out while
// there is news enough, and otherwise airs labelled as commentary.
import type { Candidate } from "./candidates.js";

export type ItemKind = "news" | "promotion" | "commentary" | "live_blog";

const LIVE_BLOG = [
  /\b(?:live(?: updates| blog| coverage)?|as it happened|minute[- ]by[- ]minute)\s*$|[–—-]\s*live\b|\blive:/i,
  /图文直播|现场直播|实时更新|直播[:：]/u,
];
// Lines such as "13 min: ..." or "90+2 min ..." more than twice: a running commentary.
const MINUTE_LINES = /(?:^|\n)\s*\d{1,3}(?:\+\d)?\s*min\b/gi;
// "Title | Cas Mudde": the Guardian's opinion pieces carry their author after a bar.
const OPINION_BYLINE = /\s[|｜]\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*$/u;
const COMMENTARY = [
  OPINION_BYLINE,
  /^(?:opinion|comment|editorial|analysis|column)\s*[:|]/i,
  /锐评|时评|社评|社论|评论员|刊文|短评|观点[:：]|评论[:：]/u,
];
const PROMOTION = [
  /\b(?:sponsored|promoted|partner content|paid post|advertorial|promo code|coupon|% off|deal of the day)\b/i,
  /领导品牌|知名品牌|品牌升级|品质升级|战略浮出水面|旗舰店|促销|优惠券|限时抢购|新品上市|代言人|独家冠名|坚果健康周/u,
];

export function itemKind(c: Pick<Candidate, "title" | "summary">): ItemKind {
  const text = `${c.title}\n${c.summary}`;
  if (LIVE_BLOG.some((re) => re.test(c.title)) || (c.summary.match(MINUTE_LINES) ?? []).length > 2) return "live_blog";
  if (PROMOTION.some((re) => re.test(text))) return "promotion";
  if (COMMENTARY.some((re) => re.test(c.title))) return "commentary";
  return "news";
}

/** A title without its opinion byline ("Title | Cas Mudde" -> "Title"): a headline never reads it, and " | " joins a headline's language parts. */
export function withoutOpinionByline(title: string): string {
  return title.replace(OPINION_BYLINE, "");
}

export interface Screened {
  /** What the editors choose from: news, then (when news is short) labelled commentary. */
  candidates: Candidate[];
  leftOut: { candidate: Candidate; kind: ItemKind }[];
}

/** News first; commentary only when there is not news enough for `stories`, and then labelled. */
export function screenCandidates(all: Candidate[], stories: number, language: string): Screened {
  const kinds = all.map((c) => ({ candidate: c, kind: itemKind(c) }));
  const news = kinds.filter((k) => k.kind === "news").map((k) => k.candidate);
  const commentary = kinds.filter((k) => k.kind === "commentary").map((k) => k.candidate);
  const room = Math.max(0, stories - news.length);
  const label = language === "en" ? "Commentary: " : "评论：";
  return {
    candidates: [...news, ...commentary.slice(0, room).map((c) => ({ ...c, title: `${label}${c.title}` }))],
    leftOut: [...kinds.filter((k) => k.kind === "promotion" || k.kind === "live_blog"), ...commentary.slice(room).map((candidate) => ({ candidate, kind: "commentary" as const }))],
  };
}
