// The same-event check on reports written apart: across outlets and languages, and on real
// headlines from the bundled captures that share a name but not an event.
import { describe, expect, it } from "vitest";
import { eventTerms } from "./event-terms.js";
import { compareEvents, Rarity, storyTerms, type EventText } from "./same-event.js";

const story = (title: string, text: string): EventText => ({ title, sources: [{ title, text }] });

const TYPHOON_EN = story(
  "Typhoon Mangkhut makes landfall in Guangdong",
  "Typhoon Mangkhut made landfall in Taishan, Guangdong, on September 16, forcing 2.45 million people to leave their homes. Hong Kong raised its highest storm signal.",
);
const TYPHOON_ZH = story("超强台风“山竹”在广东台山登陆", "超强台风“山竹”9月16日在广东台山登陆，广东省已紧急转移安置245万人。香港天文台发出十号风球。");
const TYPHOON_ZH_2 = story("“山竹”登陆广东 245万人转移", "台风山竹于9月16日下午在台山海宴镇登陆，全省转移群众245万人，香港停课一天。");
const RATES = story("Central bank holds interest rate at 3.5 percent", "The central bank kept its benchmark interest rate at 3.5 percent on Wednesday. Governor Lena Park said inflation had fallen to 2.4 percent in October.");
const FLOODS = story("Heavy rain floods three subway stations", "Heavy overnight rain flooded three subway stations on the Green Line. Trains between Central and Riverside were suspended for six hours. The weather service recorded 110 millimetres of rain.");
const TRUMP_GOLF = story("'He cheats like hell': Trump's pro golfing partner on playing with the president", "Donald Trump's golfing partner, a former professional, says the US president cheats.");
const TRUMP_FBI = story("FBI has 'grave concerns' about Trump plan to release controversial memo", "The FBI said it had grave concerns about a memo Donald Trump wants to release.");
const SWEDEN_1 = story("外交部回应“中国游客瑞典遭粗暴对待”：敦促瑞方重视中方关切", "9月17日，外交部发言人耿爽主持例行记者会，回应中国游客在瑞典遭警察粗暴对待一事。");
const SWEDEN_2 = story("桂从友大使就瑞典警察粗暴对待中国游客事接受瑞典《快报》专访", "9月17日，中国驻瑞典大使桂从友就瑞典警察粗暴对待中国游客事接受瑞典《快报》专访。");

const SUBMARINE = story("日本潜艇首次赴南海演练，外交部：别做损害地区和平稳定的事", "9月17日，外交部发言人耿爽主持例行记者会，就日本海上自卫队潜艇首次赴南海参加演练一事答问，希望日方不要做损害地区和平稳定的事。");
const DAY = [
  story("全国心理卫生学术大会召开", "9月17日，全国心理卫生学术大会在京召开，专家指出心理健康服务供需失衡。"),
  story("京沪高铁新增夜间列车", "9月17日，国铁集团宣布京沪高铁将新增四对夜间列车。"),
  story("小微企业增值税起征点提高", "9月17日，国务院常务会议决定小微企业增值税起征点提高到每月15万元。"),
  story("浙江4名消防巡查队员违纪被查", "9月17日，浙江通报4名消防巡查队员违纪被查。"),
];

// One event, reported with names only: in characters in Chinese, in Latin letters in English.
const VISIT_EN = story(
  "Premier Li Qiang visits typhoon-hit Taishan",
  "Premier Li Qiang inspected flood defences in Taishan, Guangdong Province, and met rescue crews working to restore power.",
);
const VISIT_ZH = story("国务院总理李强赴台山考察灾后恢复", "国务院总理李强在广东台山考察防汛救灾工作，看望慰问抢修电力的救援人员。");
// Another event in the same city, and another event with the same premier.
const REACTOR_EN = story("Taishan nuclear plant's second reactor starts commercial operation", "The second reactor at the Taishan nuclear power plant in Guangdong has entered commercial operation, its operator said.");
const BERLIN_ZH = story("国务院总理李强会见德国总理", "国务院总理李强在北京人民大会堂会见来访的德国总理，双方就经贸合作交换意见。");

function compare(a: EventText, b: EventText, pool: EventText[]) {
  const all = [a, b, ...pool].map(storyTerms);
  return compareEvents(all[0], all[1], new Rarity(all));
}

describe("event terms", () => {
  it("reads figures by value, dates by month and day, countries by code, in both languages", () => {
    const en = eventTerms("On September 16, 2.45 million people in Hong Kong and China left; 3.5 percent.");
    const zh = eventTerms("9月16日，香港和中国的245万人撤离；3.5%。");
    for (const t of ["d:9-16", "n:2450000", "p:HK", "p:CN", "n:3.5"]) {
      expect(en.has(t), t).toBe(true);
      expect(zh.has(t), t).toBe(true);
    }
    // A year and a day of the month are no figures.
    expect([...eventTerms("In 2018, on 18 September")]).toEqual(["d:9-18"]);
  });

  it("takes a run of capitalised words as one name, and not a sentence's first word", () => {
    expect([...eventTerms("Donald Trump spoke. Critics of the State of the Union said so.")].sort()).toEqual(["e:donald trump", "e:state of the union"].sort());
    // Titles joined by a line break are two names, and a title before a name is no part of it.
    expect([...eventTerms("Storm hits Taishan\nPremier Li Qiang visits")].sort()).toEqual(["e:li qiang", "e:taishan"]);
  });
});

describe("names written in characters", () => {
  it("romanises people after a title and places next to a place word as Latin news writes them", () => {
    const zh = eventTerms("国家主席习近平会见外交部发言人耿爽。国务院总理李强在广东台山考察，广东省转移群众。");
    for (const t of ["e:xi jinping", "e:geng shuang", "e:li qiang", "e:guangdong", "e:taishan"]) expect(zh.has(t), t).toBe(true);
    // A name the dictionary splits into characters ends at the word after it; a surname reads as a surname (曾 zeng, not ceng).
    const more = eventTerms("中国驻瑞典大使桂从友就此事接受专访，市长曾国强出席。");
    for (const t of ["e:gui congyou", "e:zeng guoqiang"]) expect(more.has(t), t).toBe(true);
    // The characters are that name, not a Chinese word besides.
    expect([...zh].filter((t) => /^w:(台山|广东)$/.test(t))).toEqual([]);
    // "Guangdong Province" is the place 广东省 names.
    expect(eventTerms("Rain fell across Guangdong Province.").has("e:guangdong")).toBe(true);
  });

  it("romanises no common word: 伤害 reads as shanghai, but is no name", () => {
    expect([...eventTerms("台风造成的伤害很大，会议正在召开。")].filter((t) => t.startsWith("e:"))).toEqual([]);
  });
});

describe("same event", () => {
  const pool = [RATES, FLOODS, TRUMP_GOLF, TRUMP_FBI];

  it("two reports of one event in two languages", () => {
    const m = compare(TYPHOON_EN, TYPHOON_ZH, pool);
    expect(m.shared).toEqual(expect.arrayContaining(["d:9-16", "n:2450000"]));
    expect(m.same).toBe(true);
  });

  it("two Chinese reports of one event, worded differently", () => {
    expect(compare(TYPHOON_ZH, TYPHOON_ZH_2, pool).same).toBe(true);
    expect(compare(SWEDEN_1, SWEDEN_2, [...pool, TYPHOON_ZH]).same).toBe(true);
  });

  it("two answers at one press conference on one day are two events", () => {
    const m = compare(SWEDEN_1, SUBMARINE, [...DAY, SWEDEN_2, TYPHOON_ZH]);
    expect(m.shared).toEqual(expect.arrayContaining(["d:9-17", "w:外交部"]));
    expect(m.same).toBe(false);
    // The same day's two reports of one event still meet, on what they share besides the date.
    expect(compare(SWEDEN_1, SWEDEN_2, [...DAY, SUBMARINE, TYPHOON_ZH]).same).toBe(true);
  });

  it("one name in common is not one event", () => {
    const m = compare(TRUMP_GOLF, TRUMP_FBI, [RATES, FLOODS, TYPHOON_EN]);
    expect(m.shared).toContain("e:donald trump");
    expect(m.same).toBe(false);
  });

  it("a Chinese and an English report of one event that share only names, in characters and in Latin letters", () => {
    const pool = [RATES, FLOODS, TRUMP_GOLF, TRUMP_FBI, TYPHOON_ZH, SWEDEN_1];
    for (const [a, b] of [[VISIT_ZH, VISIT_EN], [VISIT_EN, VISIT_ZH]] as const) {
      const m = compare(a, b, pool);
      expect(m.shared).toEqual(expect.arrayContaining(["e:li qiang", "e:taishan", "e:guangdong"]));
      expect(m.same).toBe(true);
    }
  });

  it("two events in one city, or with one premier, stay two in any language", () => {
    const pool = [RATES, FLOODS, TRUMP_GOLF, TRUMP_FBI, SWEDEN_1];
    const city = compare(REACTOR_EN, VISIT_ZH, pool);
    expect(city.shared).toContain("e:taishan");
    expect(city.same).toBe(false);
    expect(compare(REACTOR_EN, TYPHOON_ZH, pool).same).toBe(false);
    const premier = compare(BERLIN_ZH, VISIT_EN, pool);
    expect(premier.shared).toContain("e:li qiang");
    expect(premier.same).toBe(false);
    expect(compare(BERLIN_ZH, VISIT_ZH, pool).same).toBe(false);
  });

  it("different events stay apart, whatever the language", () => {
    for (const [a, b] of [[RATES, FLOODS], [TYPHOON_EN, RATES], [TYPHOON_ZH, SWEDEN_1], [FLOODS, TYPHOON_ZH]] as const) expect(compare(a, b, pool).same).toBe(false);
  });
});
