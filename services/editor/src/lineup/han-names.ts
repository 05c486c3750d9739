// Names of people and places that a Chinese report writes in characters, romanised the way
// Latin-letter news writes them (toneless pinyin from `pinyin-pro`): 李强 → "li qiang" (surname,
// then the given name in one word), 台山 → "taishan" (a place in one word). So 台山 meets
// "Taishan" and 李强 meets "Li Qiang" in event-terms.ts.
//
// Without part-of-speech tags, a run of characters is taken as a name only next to a cue: a title
// before a person (总理李强, 发言人耿爽), a place word after a place (广东省, 台山市), or a preposition
// of place before one or two dictionary words (在广东台山登陆). A common word ("伤害" reads as
// "shanghai") is never romanised without such a cue.
import { pinyin } from "pinyin-pro";
import { segmenter } from "@newsroom/platform/text/sentences";

export interface HanName {
  /** As written: "李强". */
  han: string;
  /** As Latin news writes it, lower-cased: "li qiang", "taishan". */
  latin: string;
}

// Titles written before a name. 记者 is left out: a reporter's name says nothing about the event.
const TITLES = [
  "国家主席", "主席", "总书记", "书记", "总理", "副总理", "总统", "副总统", "首相", "外长", "部长", "副部长", "发言人", "大使", "特使",
  "省长", "市长", "县长", "区长", "州长", "局长", "厅长", "主任", "院长", "校长", "董事长", "总裁", "总经理", "创始人", "议员", "议长",
  "委员长", "司令员", "司令", "将军", "法官", "检察长", "教授", "研究员", "院士", "医生", "教练", "主帅", "球员", "选手", "导演", "演员", "歌手", "作家",
];
const TITLE = new RegExp(`(?:${[...TITLES].sort((a, b) => b.length - a.length).join("|")})(?=\\p{Script=Han})`, "gu");
// Words that end a name after its title: "桂从友就…", "李强在…".
const AFTER_NAME = new Set([..."在就于对向与和同及等的了将已也为到赴称说是"]);
const COMPOUND_SURNAMES = new Set(["欧阳", "司马", "诸葛", "上官", "司徒", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "令狐", "夏侯", "南宫", "西门"]);

// Words after a place: 广东省, 台山市, 海宴镇 (the place is the word before).
const PLACE_WORDS = new Set([..."省市县区镇乡村州岛"]);
// Words before a place: 在广东台山登陆, 抵达台山.
const TO_PLACE = new Set(["在", "于", "赴", "到", "抵达", "位于", "来自", "前往", "途经"]);

/** The people and places a Chinese text names next to a cue, in the order found, each once. */
export function hanNames(text: string): HanName[] {
  const found = new Map<string, HanName>();
  const add = (han: string, person: boolean) => {
    if (han.length < 2 || found.has(han)) return;
    found.set(han, { han, latin: person ? personName(han) : placeName(han) });
  };
  for (const m of text.matchAll(TITLE)) add(nameAfterTitle(text.slice(m.index! + m[0].length)), true);
  const segments = [...segmenter("und", "word").segment(text)].map((s) => s.segment);
  segments.forEach((s, i) => {
    if (PLACE_WORDS.has(s) && isHanWord(segments[i - 1])) add(segments[i - 1], false);
    if (TO_PLACE.has(s))
      for (const next of segments.slice(i + 1, i + 3)) {
        if (!isHanWord(next)) break;
        add(next, false);
      }
  });
  return [...found.values()];
}

function isHanWord(s: string | undefined): s is string {
  return !!s && /^\p{Script=Han}{2,4}$/u.test(s);
}

/**
 * The name after a title: the dictionary splits an unknown name into single characters, so
 * characters are taken until a word that ends a name, or a word of its own once two are taken;
 * three at most (four with a two-character surname).
 */
function nameAfterTitle(rest: string): string {
  let name = "";
  for (const { segment } of segmenter("und", "word").segment(rest)) {
    if (!/^\p{Script=Han}+$/u.test(segment) || AFTER_NAME.has(segment)) break;
    if (name.length >= 2 && segment.length > 1) break;
    name += segment;
    if (name.length >= 3) break;
  }
  const max = COMPOUND_SURNAMES.has(rest.slice(0, 2)) ? 4 : 3;
  return name.slice(0, max);
}

function syllables(han: string, surname: boolean): string[] {
  return pinyin(han, { toneType: "none", type: "array", surname: surname ? "head" : "off" }).map((s) => s.normalize("NFD").replace(/\p{M}/gu, ""));
}

/** "李强" → "li qiang", "习近平" → "xi jinping", "欧阳修" → "ouyang xiu". */
function personName(han: string): string {
  const cut = COMPOUND_SURNAMES.has(han.slice(0, 2)) && han.length > 2 ? 2 : 1;
  const all = syllables(han, true);
  return `${all.slice(0, cut).join("")} ${all.slice(cut).join("")}`;
}

/** "台山" → "taishan", "广东" → "guangdong". */
function placeName(han: string): string {
  return syllables(han, false).join("");
}
