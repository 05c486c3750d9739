// What a listener must never hear read out of wire copy: datelines, bylines, reporter credits,
// editor's notes, photo credits. Written independently of the ingest's patterns that remove
// them (services/ingest/src/radio-copy.ts), so a test using these can catch what slips past.
export const PRINT_FURNITURE = [
  /编者按|编辑按|本报讯|【[^】]*按】/u,
  /\d{1,2}月\d{1,2}日电/u,
  /[(（]\s*(?:记者|通讯员|实习生)/u,
  /(?:^|\n)(?:By [A-Z][a-z]+ [A-Z][a-z]+|Photo(?:graph)?:|Continue reading)/u,
  /\((?:Reuters|AP|AFP)\)\s*[-–—]/u,
  /消息[（(][^)）]*[)）][:：]/u,
];

/** The patterns `text` still matches (empty when it is clean). */
export function printFurniture(text: string): string[] {
  return PRINT_FURNITURE.filter((re) => re.test(text)).map(String);
}

/** A script's opening clause (up to its first comma), what "opens with the same phrase" compares. */
export function openingClause(script: string): string {
  const first = script.trim().replace(/^[A-Za-z][\w ]{0,20}:\s*/, "");
  return (first.split(/[，,:：]/)[0] ?? first).slice(0, 40);
}
