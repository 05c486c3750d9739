// Radio copy: what a wire item carries for the printed page and never for the ear. Datelines
// ("中新网客户端9月18日电", "WASHINGTON (Reuters) -"), bylines and reporter or correspondent
// credits ("(记者阚枫)", "By Jane Doe, Correspondent"), editor's notes ("编者按：…"), photo
// credits ("Photo: …", "（图/新华社）"), "Continue reading..." and bracketed asides are removed
// from the source text at ingest, so neither models nor the offline writer take them as content.
// Who reported a story stays known from the source's feed and is said by the writer where a
// listener needs it.

const CN_DIGIT = "0-9０-９一二三四五六七八九十〇";
// A credit in brackets: "(记者阚枫)", "（通讯员彭鹏吴凌）", "（记者李雯婷、李晋）", "（图/新华社）", "(文/张三)".
const ZH_CREDIT = String.raw`[(（]\s*(?:(?:本报|特约|见习|实习|特派)?(?:记者|通讯员|实习生)(?![会站节证])|(?:编辑|撰稿|文|图|摄影?)\s*[/:：])[^()（）]{0,40}[)）]`;
// "新华社上海9月17日电", "中新网客户端9月18日电", "春城晚报9月17日消息": an outlet, maybe a place, a date, 电/讯/消息.
const ZH_DATED = `[\\u4e00-\\u9fa5A-Za-z·]{2,16}?(?:[${CN_DIGIT}]{1,4}年)?[${CN_DIGIT}]{1,2}月[${CN_DIGIT}]{1,3}日(?:电|讯|消息)`;
// ... or "本报讯", "央视网消息（新闻联播）：", "国际在线报道（记者…）：" (a label followed by brackets or a colon).
const ZH_DATELINE = new RegExp(
  `^(?:${ZH_DATED}|本报讯|[\\u4e00-\\u9fa5A-Za-z]{2,12}(?:消息|报道|讯)(?=\\s*[(（:：]))\\s*(?:[(（][^()（）]{0,30}[)）])?\\s*[:：，,]?\\s*`,
  "u",
);
// A dated dateline a little way in: what comes before it repeats the headline and subtitle.
const ZH_DATELINE_SOON = new RegExp(`^[^\\n]{1,120}?(?=${ZH_DATED.replace("{2,16}?", "{2,12}")}(?:$|[^，,]))`, "u");
const ZH_CREDIT_ANYWHERE = new RegExp(`\\s*${ZH_CREDIT}`, "gu");
// "编者按：…", "【学习小组按】…", "【编者按】…": the editor speaking to the reader.
const ZH_EDITOR_NOTE = /^\s*(?:【[^】]{0,12}按】|编者按\s*[:：]|编者的话\s*[:：]|编辑按\s*[:：])/u;
// "（图/新华社）", "图片来源：…", "图为…。", "XX 摄", "责任编辑：XX", "（完）".
const ZH_PHOTO_OR_TAIL = /(?:图片来源[:：][^\n。]*[。]?|^图为[^\n]*$|[(（](?:图|图片|摄影?)\s*[/:：][^()（）]{0,30}[)）]|[(（]完[)）]|责任编辑[:：]\s*\S+|[\u4e00-\u9fa5]{2,4}\s*摄\s*$)/gmu;
// The last sentence of an editor's note run into the body: the editor addresses the reader.
const ZH_NOTE_END = /^[^\n]{0,500}?(?:带您|为您|与您|和您|请看|敬请|特推出|特刊发)[^。！？!?\n]{0,80}[。！？!?]/u;
// A leading column label: "【风从海上来】宁波：…".
const ZH_LEADING_LABEL = /^【[^】]{1,24}】\s*/u;

// "WASHINGTON (Reuters) - ", "(Reuters) - ", "LONDON, Jan 31 (AP) — ", "BEIJING, Sept 18 (Xinhua) --".
const EN_DATELINE = /^(?:[A-Z][A-Z .'-]{1,40}(?:,\s*[A-Z][a-z]{2,4}\.?\s*\d{1,2})?\s*)?\((?:Reuters|AP|AFP|Xinhua|Bloomberg|UPI|CNN|dpa|PA)\)\s*[-–—]{1,2}\s*/u;
const EN_PLACE_DASH = /^[A-Z][A-Z .'-]{2,30}\s+[–—]\s+/u; // "NEW YORK — "
// Whole lines that are credits: "By Jane Doe", "By Jane Doe, Correspondent", "Photo: …", "Photograph: …/Getty Images", "Continue reading...".
const EN_CREDIT_LINE =
  /^(?:By\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})*(?:,\s*[\w ]{0,40}(?:Correspondent|Editor|Reporter|Writer|Staff|Bureau)[\w ]{0,30})?\.?|(?:Photo(?:graph)?|Image|Picture|Credit)s?\s*:.*|(?:Continue reading|Read more)\s*(?:\.{3}|…)?.*|Reporting by .*|Editing by .*|Additional reporting by .*)$/u;
// "(Photo: …)", "(Photograph: …)", "[Read more: …]", "[Updated at 3 pm]": asides in brackets.
const EN_ASIDE = /\s*(?:\((?:Photo(?:graph)?|Image|Picture|Credit|File photo)[^()]{0,120}\)|\[[^\[\]]{0,160}\])/giu;

export interface RadioCopyOptions {
  /** "zh", "en" or anything else (both sets of patterns are tried: each only matches its script). */
  language?: string;
}

/** The text a listener should hear of: the same paragraphs, less the print furniture. */
export function radioCopy(text: string, _opts: RadioCopyOptions = {}): string {
  if (!text) return text;
  const paragraphs = text.split(/\n{2,}/);
  const kept: string[] = [];
  for (const [i, raw] of paragraphs.entries()) {
    const lines: string[] = [];
    for (let line of raw.split("\n")) {
      line = line.trim();
      if (EN_CREDIT_LINE.test(line)) continue;
      line = line.replace(ZH_PHOTO_OR_TAIL, "").trim();
      lines.push(line);
    }
    let p = lines.filter(Boolean).join("\n");
    if (ZH_EDITOR_NOTE.test(p)) {
      // The note is its own paragraph: leave it out. Run into the body (one paragraph), it ends
      // where the editor turns to the reader ("求是网带您回顾…。"); without such a turn only the
      // label goes, since dropping more would drop the story.
      if (paragraphs.length > 1 && paragraphs.slice(i + 1).some((x) => x.trim())) continue;
      p = p.replace(ZH_EDITOR_NOTE, "");
      p = p.replace(ZH_NOTE_END, "");
    }
    p = p.replace(ZH_LEADING_LABEL, "");
    if (i === 0 && !ZH_DATELINE.test(p)) p = p.replace(ZH_DATELINE_SOON, (head) => (/[(（]|[。！？]$/.test(head) ? head : ""));
    p = p.replace(ZH_DATELINE, "").replace(EN_DATELINE, "").replace(EN_PLACE_DASH, "");
    p = p.replace(ZH_CREDIT_ANYWHERE, "").replace(EN_ASIDE, "");
    p = p.replace(/[ \t]{2,}/g, " ").trim();
    if (p) kept.push(p);
  }
  return kept.join("\n\n");
}

/** A title without a leading column label ("【风从海上来】宁波：…" -> "宁波：…"). */
export function radioTitle(title: string): string {
  return title.replace(ZH_LEADING_LABEL, "").trim() || title;
}
