import { describe, expect, it } from "vitest";
import { cspHash, html, outsideLink, safeHref, SafeHtml } from "@newsroom/publisher/html";
import { assertSafeEditionId, publicUrl } from "@newsroom/publisher/naming";
import { publisherConfig } from "./seed.js";

describe("html", () => {
  it("escapes every interpolated value, in text and in attributes, arrays included", () => {
    const evil = `"><script>alert(1)</script><a x='`;
    const out = html`<p title="${evil}">${evil}${[evil, html`<b>${evil}</b>`]}</p>`.value;
    expect(out).not.toMatch(/<script>|<a x=/);
    expect(out.match(/<b>/g)).toHaveLength(1);
    expect(out).toContain("&quot;&gt;&lt;script&gt;");
  });

  it("links only to absolute http(s) URLs", () => {
    for (const bad of ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x", "/relative", "mailto:a@b.c", "", null])
      expect(safeHref(bad)).toBeNull();
    expect(safeHref("https://example.org/a?b=1&c=<2>")).toBe("https://example.org/a?b=1&c=%3C2%3E");
    expect(outsideLink("javascript:alert(1)", "t").value).toBe("t");
    expect(outsideLink("http://e.org/", "<t>").value).toBe('<a href="http://e.org/" rel="noopener nofollow">&lt;t&gt;</a>');
  });

  it("hashes inline blocks for the CSP", () => {
    // sha256 of the empty string, base64.
    expect(cspHash("")).toBe("'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    expect(new SafeHtml("<x>").toString()).toBe("<x>");
  });
});

describe("naming", () => {
  it("refuses edition ids that are not plain folder names", () => {
    for (const bad of ["../etc", "a/b", "", ".hidden", "a\\b", "x..y"]) expect(() => assertSafeEditionId(bad)).toThrow(/cannot be used as a folder name/);
    expect(assertSafeEditionId("2026-11-28-morning-abc123")).toBe("2026-11-28-morning-abc123");
  });

  it("builds public links under podcast.base_url, with or without a trailing slash", () => {
    expect(publicUrl(publisherConfig({ baseUrl: "https://h.example/pod" }), "e1", "edition.mp3")).toBe("https://h.example/pod/e1/edition.mp3");
    expect(publicUrl(publisherConfig({ baseUrl: "https://h.example/pod/" }), "feed.xml")).toBe("https://h.example/pod/feed.xml");
  });
});
