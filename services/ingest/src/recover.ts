// Recovery for feeds a strict parser rejects (a truncated last tag, an unclosed element, a bare
// "&"): a forgiving XML tokenizer (htmlparser2 in XML mode) reads what is there and writes it
// back out well-formed, like libxml2's recover mode. Used only after the normal parse failed.
import render from "dom-serializer";
import { parseDocument } from "htmlparser2";

export function recoverXml(text: string): string {
  const dom = parseDocument(text, { xmlMode: true, decodeEntities: true, recognizeCDATA: true });
  return render(dom, { xmlMode: true, decodeEntities: true, encodeEntities: "utf8" });
}
