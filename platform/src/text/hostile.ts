// What a news script must never carry from its sources: links, instructions (prompt
// injection aimed at the model or the listener) and promotions. Deterministic, so no model
// can talk its way past it.
import { splitSentences } from "./sentences.js";
import { supportOf } from "./support.js";

export type HostileKind = "link" | "instruction" | "promotion";

export interface HostileFinding {
  sentence: string;
  kind: HostileKind;
  /** The text that matched. */
  match: string;
}

const LINK = /\b(?:https?:\/\/|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+\b|\b[a-z0-9-]+\.(?:com|net|org|io|cn|co|info|xyz|ly|me|tv)(?:\/\S*)?\b|(?:^|\s)@\w{2,}/giu;

const INSTRUCTION = [
  /\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompts?|rules|guidelines|above|previous)\b/i,
  /\b(?:system prompt|you are (?:now )?(?:an? )?(?:ai|assistant|language model|chatbot)|as an ai\b|new instructions?)\b/i,
  /\b(?:assistant|system|user)\s*:/i,
  /\b(?:do not|don't) (?:mention|report|say|tell)\b/i,
  /(?:^|[.!?:]\s*|\bplease\s+|\byou (?:must|should)\s+)(?:say|write|print|output|repeat|respond with|reply with|tell (?:your )?(?:listeners|readers|audience))\b/i,
  /(?:忽略|无视|忘记).{0,12}(?:指令|指示|提示|规则|要求)/u,
  /(?:系统提示|你现在是|作为一个?(?:AI|人工智能|助手|语言模型))/iu,
  /(?:请|务必)(?:在|把|将)?.{0,12}(?:输出|回复|告诉(?:听众|读者))/u,
];

const PROMOTION = [
  /\b(?:click|tap) (?:here|the link|below|now)\b/i,
  /\b(?:subscribe|sign up|register)\b.{0,15}\b(?:now|today|here|our (?:newsletter|channel|podcast|list))\b/i,
  /\bfollow us\b|\blike (?:us|our page)\b/i,
  /\b(?:download|get|install) (?:our|the) (?:free )?app\b/i,
  /\b(?:use|enter|with) (?:the |our )?(?:promo|discount|coupon) code\b/i,
  /\b(?:buy|order|shop|book) (?:now|today)\b/i,
  /\blimited[- ]time (?:offer|deal)\b|\bexclusive (?:offer|deal|discount)\b|\b\d+% off\b/i,
  /\b(?:sponsored content|paid content|paid post|affiliate links?)\b|\badvertisement\s*[:|-]/i,
  /\bfree (?:crypto|bitcoin|money|cash|gifts?|iphones?|tickets|trials?)\b|\bgiveaways?\b|\bclaim (?:your|a|the) (?:free|prize|reward|bonus)\b/i,
  /\bread more\b|\bcontinue reading\b|\bfind out more (?:at|on|here)\b/i,
  /\bvisit (?:our|us|the (?:website|site|store))\b/i,
  /(?:扫码(?:关注|下载|领取|购买)|扫描(?:下方)?二维码|关注(?:我们|公众号|微信号)|点击(?:链接|这里|下方|阅读|查看)|下载(?:APP|客户端)|优惠码|折扣码|限时(?:优惠|特价|抢购)|立即(?:购买|订阅|下单)|[【（(]广告[】）)]|转发(?:给|到)(?:朋友|好友|朋友圈)|阅读原文|更多精彩)/iu,
];

/** Every link, instruction and promotion in `text`, by sentence. */
export function findHostile(text: string, lang = "en"): HostileFinding[] {
  const out: HostileFinding[] = [];
  for (const sentence of splitSentences(text, lang)) {
    const link = sentence.match(LINK);
    if (link) out.push({ sentence, kind: "link", match: link[0].trim() });
    for (const [kind, patterns] of [["instruction", INSTRUCTION], ["promotion", PROMOTION]] as const) {
      const hit = patterns.map((p) => sentence.match(p)).find(Boolean);
      if (hit) out.push({ sentence, kind, match: hit[0] });
    }
  }
  return out;
}

/**
 * Hostile material the script carries: anything `findHostile` sees in the script itself, plus
 * script sentences that repeat a hostile source sentence closely (paraphrased instructions).
 */
export function carriedHostile(script: string, sources: string[], lang = "en"): HostileFinding[] {
  const own = findHostile(script, lang);
  const hostileSource = sources.flatMap((s) => findHostile(s, lang));
  if (!hostileSource.length) return own;
  const seen = new Set(own.map((f) => f.sentence));
  const copied: HostileFinding[] = [];
  const hostileSentences = hostileSource.map((f) => f.sentence);
  for (const sentence of splitSentences(script, lang)) {
    if (seen.has(sentence)) continue;
    const s = supportOf(sentence, hostileSentences);
    if (s.best >= 0 && s.score >= 0.6) copied.push({ sentence, kind: hostileSource[s.best].kind, match: hostileSentences[s.best] });
  }
  return [...own, ...copied];
}

/** Source text with every hostile sentence left out and stray links removed, one sentence a line: what a writer may use. */
export function cleanSourceText(text: string, lang = "en"): string {
  const bad = new Set(findHostile(text, lang).map((f) => f.sentence));
  return splitSentences(text, lang)
    .filter((s) => !bad.has(s))
    .map((s) => s.replace(LINK, " ").replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join("\n"); // one sentence a line: later splitting keeps the same boundaries
}
