import { describe, expect, it } from "vitest";
import { isListenerQuestion, listenerQuestion } from "./listener-questions.js";
import { isSupported, supportOf } from "./support.js";

describe("listener questions", () => {
  it("are addressed to the lead by name, vary with the index, and are known for what they are", () => {
    expect(listenerQuestion("en", 0, "Lin Xiao")).toBe("Lin Xiao, what else do we know?");
    expect(listenerQuestion("en", 1)).toBe("What are the details?");
    expect(listenerQuestion("zh", 0, "林晓")).toBe("林晓，具体是怎么回事？");
    for (const lang of ["zh", "en"] as const) for (let i = 0; i < 4; i++) expect(isListenerQuestion(listenerQuestion(lang, i, lang === "zh" ? "林晓" : "Maya"))).toBe(true);
  });

  it("claim nothing, so the support check passes them; anything else stays a claim", () => {
    const sources = ["The council voted 9 to 2 to build bike lanes."];
    const q = listenerQuestion("en", 0, "Lin Xiao");
    expect(isSupported(supportOf(q, sources))).toBe(true);
    // A claim dressed as a question, or a long "name", is checked like any sentence.
    for (const s of ["Did the mayor resign after 12 years?", "The mayor resigned today, what else do we know?", "Lin, what else do we know about the 40 km plan?"]) {
      expect(isListenerQuestion(s)).toBe(false);
      expect(isSupported(supportOf(s, sources))).toBe(false);
    }
  });
});
