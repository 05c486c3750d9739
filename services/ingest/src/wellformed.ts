// Well-formedness ("bozo" in feedparser's words): a strict, namespace-aware XML parser reads
// the document and reports what a conforming parser would reject. Items are still taken from
// an ill-formed feed by the lenient parser; this only says the feed is broken, and how.
import { SaxesParser } from "saxes";

/** Up to `max` problems, each with its line and column; empty when the XML is well-formed. */
export function wellFormednessErrors(xml: string, max = 3): string[] {
  const errors: string[] = [];
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on("error", (err) => {
    if (errors.length < max) errors.push(err.message);
  });
  try {
    parser.write(xml).close();
  } catch (err) {
    errors.push((err as Error).message);
  }
  return errors;
}
