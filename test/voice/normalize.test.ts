// Text for speech: every category of figure and symbol, in Mandarin and English.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LexiconError, loadLexicon } from "@newsroom/voice/lexicon";
import { normalizeForSpeech } from "@newsroom/voice/normalize";
import { enNumber, enYear, zhNumber } from "@newsroom/voice/spoken-numbers";

const en = (t: string) => normalizeForSpeech(t, "en");
const zh = (t: string) => normalizeForSpeech(t, "zh");

describe("numbers", () => {
  it("reads English figures, grouped and decimal", () => {
    expect(en("It has 1,234 staff.")).toBe("It has one thousand two hundred thirty-four staff.");
    expect(en("Growth was 3.14 points.")).toBe("Growth was three point one four points.");
    expect(en("He finished 21st of 40.")).toBe("He finished twenty-first of forty.");
    expect(en("Call 13812345678.")).toBe("Call one three eight one two three four five six seven eight.");
  });
  it("reads Mandarin figures the spoken way", () => {
    expect(zh("共有1,234名员工。")).toBe("共有一千二百三十四名员工。");
    expect(zh("12人")).toBe("十二人");
    expect(zh("卖出20000台")).toBe("卖出两万台");
    expect(zh("第3名")).toBe("第三名");
    expect(zh("增长0.5个点")).toBe("增长零点五个点");
  });
  it("a day named by its date is said digit by digit, a decimal is still a decimal", () => {
    expect(zh("又是一年9.18，我们回顾历史。")).toBe("又是一年九一八，我们回顾历史。");
    expect(zh("9.18事变爆发。")).toBe("九一八事变爆发。");
    expect(zh("“9.17中国坚果健康周”开幕。")).toBe("“九一七中国坚果健康周”开幕。");
    expect(zh("股价收于9.18元。")).toBe("股价收于九点一八元。");
    expect(zh("增长2.4个百分点。")).toBe("增长二点四个百分点。");
  });
  it("says years as years", () => {
    expect(enYear(2026)).toBe("twenty twenty-six");
    expect(enYear(2005)).toBe("two thousand five");
    expect(enYear(1905)).toBe("nineteen oh five");
    expect(en("Sales doubled in 2025.")).toBe("Sales doubled in twenty twenty-five.");
    expect(zh("2026赛季")).toBe("二零二六赛季");
    expect(zhNumber("110")).toBe("一百一十");
    expect(enNumber("-7")).toBe("minus seven");
  });
});

describe("percentages", () => {
  it("English", () => {
    expect(en("Inflation hit 3.5%.")).toBe("Inflation hit three point five percent.");
    expect(en("Shares fell 5-10% today.")).toBe("Shares fell five to ten percent today.");
  });
  it("Mandarin", () => {
    expect(zh("通胀率为3.5%。")).toBe("通胀率为百分之三点五。");
    expect(zh("下跌5-10％")).toBe("下跌百分之五到百分之十");
    expect(zh("同比-2%")).toBe("同比负百分之二");
  });
});

describe("dates", () => {
  it("English", () => {
    expect(en("On March 5, 2026 it rained.")).toBe("On March fifth, twenty twenty-six it rained.");
    expect(en("Due 2026-01-15.")).toBe("Due January fifteenth, twenty twenty-six.");
    expect(en("Held on 3 June 2024.")).toBe("Held on the third of June, twenty twenty-four.");
  });
  it("Mandarin", () => {
    expect(zh("2026年3月5日发布")).toBe("二零二六年三月五日发布");
    expect(zh("截至2026-01-15")).toBe("截至二零二六年一月十五日");
    expect(zh("11月12号")).toBe("十一月十二号");
  });
});

describe("times", () => {
  it("English", () => {
    expect(en("It starts at 14:30 sharp.")).toBe("It starts at fourteen thirty sharp.");
    expect(en("Doors open at 9:05 am.")).toBe("Doors open at nine oh five a m.");
    expect(en("We met at 10:00 today.")).toBe("We met at ten o'clock today.");
  });
  it("Mandarin", () => {
    expect(zh("会议14:30开始")).toBe("会议十四点三十分开始");
    expect(zh("2:05结束")).toBe("两点零五分结束");
    expect(zh("10:00开门")).toBe("十点开门");
  });
});

describe("currencies", () => {
  it("English", () => {
    expect(en("Revenue was $5.2 billion.")).toBe("Revenue was five point two billion dollars.");
    expect(en("A coffee costs $3.50.")).toBe("A coffee costs three dollars and fifty cents.");
    expect(en("It costs £1.")).toBe("It costs one pound.");
    expect(en("Fined €200m.")).toBe("Fined two hundred million euros.");
  });
  it("Mandarin", () => {
    expect(zh("售价$100")).toBe("售价一百美元");
    expect(zh("约合￥720")).toBe("约合七百二十元");
    expect(zh("营收52亿美元")).toBe("营收五十二亿美元");
    expect(zh("融资$5.2 billion")).toBe("融资五十二亿美元");
  });
});

describe("units", () => {
  it("English", () => {
    expect(en("It runs at 120 km/h.")).toBe("It runs at one hundred twenty kilometers per hour.");
    expect(en("Only 1 kg left.")).toBe("Only one kilogram left.");
    expect(en("It fell to -5°C.")).toBe("It fell to minus five degrees Celsius.");
  });
  it("Mandarin", () => {
    expect(zh("时速120km/h")).toBe("时速一百二十公里每小时");
    expect(zh("重3kg")).toBe("重三公斤");
    expect(zh("气温-5℃")).toBe("气温负五摄氏度");
    expect(zh("3nm芯片")).toBe("三纳米芯片");
  });
});

describe("ranges and scores", () => {
  it("English: a range says 'to', a match score does not", () => {
    expect(en("It lasts 3-5 years.")).toBe("It lasts three to five years.");
    expect(en("Arsenal won 3-1 at home.")).toBe("Arsenal won three-one at home.");
    expect(en("a 2-0 victory")).toBe("a two-zero victory");
    expect(en("Rates of 10-20 km.")).toBe("Rates of ten to twenty kilometers.");
  });
  it("Mandarin: 到 for ranges, 比 for scores", () => {
    expect(zh("持续3-5年")).toBe("持续三到五年");
    expect(zh("阿森纳以3-1战胜切尔西")).toBe("阿森纳以三比一战胜切尔西");
    expect(zh("比分为21:19")).toBe("比分为二十一比十九");
    expect(zh("主队2-0领先")).toBe("主队二比零领先");
  });
});

describe("acronyms and model names", () => {
  it("English", () => {
    expect(en("The CEO praised AI.")).toBe("The C E O praised A I.");
    expect(en("GPT-5 and the Su-27 were shown.")).toBe("G P T five and the Sukhoi twenty-seven were shown.");
    expect(en("NATO met the IMF.")).toBe("Nato met the I M F.");
    expect(en("The Falcon-9 flew.")).toBe("The Falcon nine flew.");
    expect(en("THE WHOLE HEADLINE SHOUTS")).toBe("THE WHOLE HEADLINE SHOUTS");
  });
  it("Mandarin", () => {
    expect(zh("该公司CEO表示")).toBe("该公司首席执行官表示");
    expect(zh("GPT-5和Su-27")).toBe("G P T五和苏二十七");
    expect(zh("AI芯片")).toBe("A I芯片");
    expect(zh("XYZ公司")).toBe("X Y Z公司");
  });
});

describe("the lexicon", () => {
  it("a user file named by NEWSROOM_LEXICON adds terms and overrides defaults", () => {
    const dir = mkdtempSync(join(tmpdir(), "lexicon-"));
    const file = join(dir, "mine.yaml");
    writeFileSync(file, 'terms:\n  Qwen: { en: "chwen", zh: "通义千问" }\n  CEO: "chief executive"\nunits:\n  rpm: { en: [revolution per minute, revolutions per minute], zh: 转每分 }\n');
    const lex = loadLexicon({ NEWSROOM_LEXICON: file });
    expect(normalizeForSpeech("Qwen beat the CEO at 3000 rpm.", "en", lex)).toBe("chwen beat the chief executive at three thousand revolutions per minute.");
    expect(normalizeForSpeech("Qwen发布", "zh", lex)).toBe("通义千问发布");
    expect(normalizeForSpeech("GPT-5", "en", lex)).toBe("G P T five");
  });
  it("a broken file fails with a message naming the file and the entry", () => {
    const dir = mkdtempSync(join(tmpdir(), "lexicon-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "terms:\n  AI: { fr: IA }\n");
    expect(() => loadLexicon({ NEWSROOM_LEXICON: file })).toThrow(LexiconError);
    expect(() => loadLexicon({ NEWSROOM_LEXICON: file })).toThrow(/bad\.yaml: terms\.AI/);
    expect(() => loadLexicon({ NEWSROOM_LEXICON: join(dir, "missing.yaml") })).toThrow(/missing\.yaml: cannot read it \(ENOENT\)/);
  });
});
