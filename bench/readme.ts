// Benches write their figures into one section of bench/README.md, between
// `<!-- name:start -->` and `<!-- name:end -->` (added at the end when the section is new).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function writeReadmeSection(name: string, body: string): void {
  const file = fileURLToPath(new URL("./README.md", import.meta.url));
  const [start, end] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  const section = `${start}\n${body.trim()}\n${end}`;
  const text = readFileSync(file, "utf8");
  const at = text.indexOf(start);
  const stop = text.indexOf(end);
  writeFileSync(file, at >= 0 && stop > at ? text.slice(0, at) + section + text.slice(stop + end.length) : `${text.trimEnd()}\n\n${section}\n`);
}

/** A markdown table; numbers are printed as given. */
export function markdownTable(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map((r) => line(r.map(String)))].join("\n");
}
