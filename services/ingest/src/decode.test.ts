import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeFeed } from "./decode.js";

const doc = (decl: string, body: string) => `${decl}<rss version="2.0"><channel><title>${body}</title></channel></rss>`;

describe("decodeFeed", () => {
  it("reads UTF-8 with and without a BOM", () => {
    const plain = decodeFeed(Buffer.from(doc("", "café")));
    expect(plain).toMatchObject({ encoding: "utf-8", bozo: false });
    expect(plain.text).toContain("café");
    const bom = decodeFeed(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc("", "café"))]));
    expect(bom.text.startsWith("<rss")).toBe(true);
  });

  it("reads UTF-16 by its BOM and by the first bytes of the declaration", () => {
    const text = doc('<?xml version="1.0" encoding="utf-16"?>', "日本");
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, "utf-16le")]);
    expect(decodeFeed(le)).toMatchObject({ encoding: "utf-16le", text });
    expect(decodeFeed(iconv.encode(text, "utf-16be"))).toMatchObject({ encoding: "utf-16be", text });
  });

  it("takes GB2312 as GB18030, its superset", () => {
    const text = doc('<?xml version="1.0" encoding="gb2312"?>', "新闻国内 镕");
    const d = decodeFeed(iconv.encode(text, "gb18030"));
    expect(d.encoding).toBe("gb18030");
    expect(d.text).toBe(text);
  });

  it("lets the HTTP charset win over the XML declaration, and a BOM over both", () => {
    const text = doc('<?xml version="1.0" encoding="iso-8859-1"?>', "£“test”");
    const d = decodeFeed(iconv.encode(text, "windows-1252"), { contentType: "text/xml; charset=windows-1252" });
    expect(d).toMatchObject({ encoding: "windows-1252", bozo: false });
    expect(d.text).toContain("£“test”");
    const gbk = decodeFeed(iconv.encode(doc("", "中文"), "gbk"), { contentType: "application/rss+xml; charset='GB2312'" });
    expect(gbk.text).toContain("中文");
    const bom = decodeFeed(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc("", "ü"))]), { contentType: "text/xml; charset=iso-8859-1" });
    expect(bom.text).toContain("ü");
  });

  it("reads undeclared ISO-8859-1 (not valid UTF-8) as windows-1252 and says so", () => {
    const d = decodeFeed(iconv.encode(doc("", "Notícias São Paulo"), "latin1"));
    expect(d).toMatchObject({ encoding: "windows-1252", bozo: true });
    expect(d.text).toContain("Notícias São Paulo");
    expect(d.errors[0]).toMatch(/not valid UTF-8/);
  });

  it("flags unknown encodings and non-XML media types", () => {
    const bogus = decodeFeed(Buffer.from(doc('<?xml version="1.0" encoding="bogus"?>', "x")));
    expect(bogus.bozo).toBe(true);
    expect(bogus.errors[0]).toMatch(/unknown encoding "bogus"/);
    expect(decodeFeed(Buffer.from(doc("", "x")), { contentType: "text/plain" }).errors[0]).toMatch(/text\/plain/);
  });

  it("turns Windows-1252 punctuation pasted as C1 controls into the characters meant", () => {
    expect(decodeFeed(Buffer.from(doc("", "don\u0092t"))).text).toContain("don’t");
  });
});
