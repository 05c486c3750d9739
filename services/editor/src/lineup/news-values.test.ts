// The editors' prompts state the audience and the news values, in the edition's language, and
// stay small: the candidates need the room on a 16k-context model.
import { describe, expect, it } from "vitest";
import { configSchema } from "@newsroom/platform/config/schema";
import { DEFAULT_AUDIENCE, editionAudience } from "@newsroom/platform/editorial/audience";
import { countTokens } from "@newsroom/platform/router/ledger";
import { editorInChiefTask } from "../roles/editor-in-chief.js";
import { deputyEditorTask } from "../roles/deputy-editor.js";
import type { Candidate, LineupInput } from "./candidates.js";

const story: Candidate = {
  id: "2018-09-18-evening-ab12-s1",
  title: "国务院常务会议部署进一步减税降费",
  summary: "会议决定提高小微企业增值税起征点。",
  languages: ["zh"],
  sourceCount: 3,
  outlets: ["新华社", "人民网"],
  firstPublished: "2018-09-18T02:00:00.000Z",
  latestPublished: "2018-09-18T09:30:00.000Z",
};

const zhInput = (audience: string): LineupInput => ({ language: "zh", slot: "evening", now: "2018-09-18T12:00:00Z", stories: 5, audience, candidates: [story] });

describe("news values in the editors' prompts", () => {
  it("config: edition.audience is optional; unset, each language has its default", () => {
    expect(configSchema.shape.edition.parse({}).audience).toBeUndefined();
    expect(configSchema.shape.edition.parse({ audience: "  在上海通勤的年轻上班族 " }).audience).toBe("在上海通勤的年轻上班族");
    expect(configSchema.shape.edition.safeParse({ audience: " " }).success).toBe(false);
    expect(editionAudience({ language: "zh" })).toBe(DEFAULT_AUDIENCE.zh);
    expect(editionAudience({ language: "en" })).toMatch(/English-speaking listeners/);
    expect(editionAudience({ language: "en", audience: "farmers in Iowa" })).toBe("farmers in Iowa");
  });

  it.each([
    ["editor_in_chief", editorInChiefTask],
    ["deputy_editor", deputyEditorTask],
  ])("%s (zh): names the audience and the four values, asks for topic diversity, shows the outlets, and stays small", (_role, task) => {
    const prompt = task.prompt(zhInput(DEFAULT_AUDIENCE.zh));
    expect(prompt.system).toContain(`听众：${DEFAULT_AUDIENCE.zh}`);
    for (const value of ["影响", "新鲜", "传播面", "贴近", "不同领域", "同一事件只选一条"]) expect(prompt.system).toContain(value);
    expect(prompt.user).toContain("reach: 2 outlets (新华社, 人民网), 3 reports; zh; first 2018-09-18T02:00Z, latest 2018-09-18T09:30Z");
    expect(countTokens(prompt.system)).toBeLessThan(700);
  });
});
