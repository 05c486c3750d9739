// Promotions, commentary and live blogs recognised on real titles from the bundled captures.
import { describe, expect, it } from "vitest";
import type { Candidate } from "./candidates.js";
import { itemKind, screenCandidates } from "./item-kind.js";

const c = (id: string, title: string, summary = ""): Candidate => ({ id, title, summary, languages: ["en"], sourceCount: 1, outlets: ["Wire"], firstPublished: "", latestPublished: "" });

describe("item kinds", () => {
  it.each([
    ["“917中国坚果健康周”开幕 良品铺子品质升级战略浮出水面", "休闲零食领导品牌良品铺子作为东道主承办此次活动。", "promotion"],
    ["国际锐评：万米高空俯瞰中国，世界看到了什么", "", "commentary"],
    ["人民日报刊文：离岗不是贪腐者的“护身符”", "", "commentary"],
    ["Trump’s speech was bad. The Democrats' response to it was worse | Cas Mudde", "", "commentary"],
    ["Manchester United v Tottenham: Premier League – live!", "", "live_blog"],
    ["Spurs beat United", "13 min: The impressive Lingard bursts down the inside-left channel.\n25 min: A corner.\n31 min: Goal!", "live_blog"],
    ["最高法：适时出台防卫过当的认定标准 鼓励正当防卫", "最高人民法院日前发布规划。", "news"],
    ["Train carrying dozens of GOP lawmakers hits truck in Virginia", "One person was killed.", "news"],
  ])("%s", (title, summary, kind) => {
    expect(itemKind({ title, summary })).toBe(kind);
  });

  it("a feed with two reports, a promotion and a commentary: no promotion, commentary only labelled when news runs short", () => {
    const all = [c("n1", "Train hits truck in Virginia"), c("p", "New snack brand launch", "Our sponsored partner content"), c("o", "The speech was bad | Cas Mudde"), c("n2", "CDC director resigns")];
    const enough = screenCandidates(all, 2, "en");
    expect(enough.candidates.map((x) => x.id)).toEqual(["n1", "n2"]);
    expect(enough.leftOut.map((x) => [x.candidate.id, x.kind])).toEqual([["p", "promotion"], ["o", "commentary"]]);
    const short = screenCandidates(all, 3, "en");
    expect(short.candidates.map((x) => x.title)).toEqual(["Train hits truck in Virginia", "CDC director resigns", "Commentary: The speech was bad | Cas Mudde"]);
  });
});
