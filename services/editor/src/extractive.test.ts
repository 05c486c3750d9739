// The offline writer's attributed opening reads as one sentence: the source's first word is
// lowered after "As <outlet> reports, ..." unless it is likely a name.
import { describe, expect, it } from "vitest";
import { extractiveScript } from "./extractive.js";

function opening(sentence: string, position: number): string {
  const source = { id: "s1", feed: "The Guardian US", title: "A headline", text: sentence, language: "en", publishedAt: "2018-01-31T20:00:00Z" };
  return extractiveScript({ language: "en", targetWords: 60, anchors: 1, sources: [source], position });
}

describe("offline attribution in English", () => {
  it("lowers a participle that opens the sentence (the en sample's 'As The Guardian US reports, Speaking on ...')", () => {
    expect(opening("Speaking on Jimmy Kimmel Live! the adult film star Stormy Daniels appears to question the statement.", 4)).toBe(
      "As The Guardian US reports, speaking on Jimmy Kimmel Live! the adult film star Stormy Daniels appears to question the statement.",
    );
    expect(opening("Following the vote, the House adjourned for the week.", 1)).toBe("According to The Guardian US, following the vote, the House adjourned for the week.");
  });

  it("keeps a name as it is, even one ending in -ing", () => {
    expect(opening("Manning was released from prison on Wednesday after seven years.", 1)).toBe("According to The Guardian US, Manning was released from prison on Wednesday after seven years.");
    expect(opening("Donald Trump said on Tuesday that the memo would be released.", 2)).toBe("The Guardian US reports that Donald Trump said on Tuesday that the memo would be released.");
  });
});
