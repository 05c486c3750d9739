import { describe, expect, it } from "vitest";
import { readNotes, type EditionNote } from "./notes.js";

describe("reading an edition's notes", () => {
  it("returns the notes as written, every kind with its fields", () => {
    const written: EditionNote[] = [
      { kind: "feed_error", message: "timeout", feed: "https://x/rss", error: "timeout" },
      { kind: "published", reason: "deadline", message: "Published at the deadline with what was ready." },
    ];
    expect(readNotes(JSON.parse(JSON.stringify(written)))).toEqual(written);
  });

  it("keeps what it cannot read as a plain note with its JSON, never dropping it", () => {
    expect(readNotes([{ kind: "mystery", message: "m" }, { kind: "warning", text: "old shape" }, "a bare line", { kind: "toString", message: "x" }])).toEqual([
      { kind: "note", message: '{"kind":"mystery","message":"m"}' },
      { kind: "note", message: '{"kind":"warning","text":"old shape"}' },
      { kind: "note", message: '"a bare line"' },
      { kind: "note", message: '{"kind":"toString","message":"x"}' },
    ]);
  });

  it("reads a column that holds no list as no notes", () => {
    expect(readNotes(null)).toEqual([]);
    expect(readNotes({ kind: "warning", message: "not in a list" })).toEqual([]);
  });
});
