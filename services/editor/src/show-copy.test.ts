// The template transitions: a story whose script is only its headline (a source with no text
// beyond its title) is not announced by that same sentence first.
import { describe, expect, it } from "vitest";
import { transitionHeadline, transitionLine } from "./show-copy.js";

describe("template transitions", () => {
  it("name the headline when the script tells the story in other words", () => {
    const h = "习近平谈抗战：牢记历史是要以史为鉴、面向未来";
    expect(transitionLine("zh", 1, 5, transitionHeadline(h, "习近平在辽宁考察时说，牢记历史不是要延续仇恨。"))).toBe(`接下来：${h}。`);
  });

  it("do not repeat a headline the script reads out (the npm start sample's second story)", () => {
    const h = "习近平谈抗战：牢记历史是要以史为鉴、面向未来";
    const script = `腾讯新闻 国内消息，${h}。`;
    expect(transitionLine("zh", 1, 5, transitionHeadline(h, script))).toBe("接下来，请听这条新闻。");
    expect(transitionHeadline("Director of CDC resigns", "According to the wire, director of CDC resigns.")).toBeUndefined();
    // A script that goes on past the headline is a story: the headline still leads into it.
    const ferry = "The city's new ferry terminal opened on Monday";
    expect(transitionHeadline(ferry, `According to City Wire, the city's new ferry terminal opened on Monday with two daily crossings to Stone Island. The terminal cost 45 million dollars.`)).toBe(ferry);
  });

  it("without a headline, the first story is not 'another story'", () => {
    expect(transitionLine("en", 0, 3, undefined)).toBe("First up, this story.");
    expect(transitionLine("en", 1, 3, undefined)).toBe("Next, another story.");
    expect(transitionLine("zh", 0, 3, undefined)).toBe("首先请听这条新闻。");
  });
});
