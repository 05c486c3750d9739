// HTML in feed fields -> clean text with html-to-text (an HTML parser, not regular expressions).
// Scripts, styles, images and link targets are dropped: a source's markup never reaches a
// script, a prompt or a page as markup.
import { convert, type HtmlToTextOptions } from "html-to-text";

const HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, options: { uppercase: false } }));

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  decodeEntities: true,
  selectors: [
    { selector: "a", options: { ignoreHref: true } },
    { selector: "img", format: "skip" },
    { selector: "script", format: "skip" },
    { selector: "style", format: "skip" },
    { selector: "noscript", format: "skip" },
    { selector: "iframe", format: "skip" },
    { selector: "object", format: "skip" },
    { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false } },
    ...HEADINGS,
  ],
};

/** HTML -> text with paragraphs kept as blank lines and other white space collapsed. */
export function htmlToCleanText(html: string | undefined): string {
  if (!html) return "";
  return tidy(convert(html, OPTIONS));
}

/** One line of text (titles): HTML reduced to text, every run of white space one space. */
export function htmlToOneLine(html: string | undefined): string {
  return htmlToCleanText(html).replace(/\s+/g, " ").trim();
}

/** Plain text (not HTML): white space tidied, nothing else touched. */
export function tidy(text: string | undefined): string {
  if (!text) return "";
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[\s\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const TAG = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]+);/i;

/** RSS does not say whether a title is text or HTML; treat it as HTML only when it carries tags or entities. */
export function looksLikeHtml(text: string): boolean {
  return TAG.test(text);
}
