// The show's cover art when podcast.image is unset: a 3000x3000 PNG (the size Apple Podcasts asks
// for) with the show's title and language, drawn as SVG and rendered by sharp (librsvg).
import sharp from "sharp";
import { html } from "./html.js";

export const COVER_SIZE = 3000;

/** Lines of at most `max` characters (CJK counted as two), broken at spaces where there are any. */
function wrap(title: string, max: number): string[] {
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? 2 : 1), 0);
  const lines: string[] = [];
  let line = "";
  for (const word of title.split(/(?<=\s)|(?=[\u2E80-\u9FFF])/u)) {
    if (line && width(line + word) > max) {
      lines.push(line.trim());
      line = "";
    }
    line += word;
  }
  if (line.trim()) lines.push(line.trim());
  return lines.slice(0, 4);
}

export async function renderCover(title: string, language: string): Promise<Buffer> {
  const lines = wrap(title, 14);
  const size = 220;
  const top = COVER_SIZE / 2 - ((lines.length - 1) * size * 1.2) / 2;
  const label = language === "zh" ? "中文 · 早晚报" : language === "en" ? "English · news briefing" : "中文 / English";
  const svg = html`<svg xmlns="http://www.w3.org/2000/svg" width="${COVER_SIZE}" height="${COVER_SIZE}" viewBox="0 0 ${COVER_SIZE} ${COVER_SIZE}">
<rect width="100%" height="100%" fill="#13294b"/>
<rect x="180" y="180" width="2640" height="2640" fill="none" stroke="#f2c14e" stroke-width="24"/>
${lines.map((l, i) => html`<text x="1500" y="${top + i * size * 1.2}" font-family="Noto Sans CJK SC, Noto Sans, DejaVu Sans, sans-serif" font-size="${size}" font-weight="700" fill="#ffffff" text-anchor="middle" dominant-baseline="middle">${l}</text>`)}
<text x="1500" y="2560" font-family="Noto Sans CJK SC, Noto Sans, DejaVu Sans, sans-serif" font-size="130" fill="#f2c14e" text-anchor="middle">${label}</text>
</svg>`;
  // Directories want RGB without transparency.
  return sharp(Buffer.from(svg.value)).flatten({ background: "#13294b" }).png({ compressionLevel: 9 }).toBuffer();
}
