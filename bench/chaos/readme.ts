// Writes a run's figures into bench/README.md between `<!-- name:begin -->` and `<!-- name:end -->`
// (appended the first time), so a re-run replaces its own section and nothing else.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function writeBenchSection(name: string, section: string): void {
  const readme = fileURLToPath(new URL("../README.md", import.meta.url));
  const text = readFileSync(readme, "utf8");
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n${section}\n${end}`;
  writeFileSync(readme, text.includes(begin) ? text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block) : `${text.trimEnd()}\n\n${block}\n`);
}
