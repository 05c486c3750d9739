// ID3v2 tag with one CHAP frame per chapter and an ordered top-level CTOC, so podcast apps
// show the stories as chapters; prepended to the MP3. Chapter times are PCM times: players drop
// the encoder delay the Info frame's LAME tag gives (mp3-info-frame.ts), so no shift is needed.
import NodeID3 from "node-id3";

export interface Id3Chapter {
  title: string;
  startMs: number;
  endMs: number;
  url?: string;
}

export interface Id3Meta {
  title: string;
  artist: string;
  album: string;
  /** Recording date, YYYY-MM-DD. */
  date: string;
  language?: string;
  comment?: string;
  chapters: Id3Chapter[];
}

export function id3Tag(meta: Id3Meta): Buffer {
  const ids = meta.chapters.map((_, i) => `chp${i}`);
  const [year, month, day] = meta.date.split("-");
  return NodeID3.create({
    title: meta.title,
    artist: meta.artist,
    album: meta.album,
    year,
    date: month && day ? `${day}${month}` : undefined,
    genre: "Podcast",
    language: meta.language,
    comment: meta.comment ? { language: "und", text: meta.comment } : undefined,
    chapter: meta.chapters.map((c, i) => ({
      elementID: ids[i],
      startTimeMs: c.startMs,
      // node-id3 skips a chapter whose end is 0; an empty chapter still ends after it starts.
      endTimeMs: Math.max(c.endMs, c.startMs + 1),
      tags: { title: c.title, ...(c.url ? { userDefinedUrl: [{ description: "source", url: c.url }] } : {}) },
    })),
    tableOfContents: meta.chapters.length
      ? [{ elementID: "toc", isOrdered: true, elements: ids, tags: { title: meta.title } }]
      : undefined,
  });
}

export function tagMp3(mp3: Buffer, meta: Id3Meta): Buffer {
  return Buffer.concat([id3Tag(meta), mp3]);
}
