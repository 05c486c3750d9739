// Podcasting 2.0 chapters file (application/json+chapters), version 1.2.0.
// Times are PCM times, not shifted: the MP3's LAME tag gives the encoder delay and players drop
// it (mp3-info-frame.ts), so what they play starts with PCM sample 0.

export interface Chapter {
  title: string;
  startMs: number;
  endMs?: number;
  url?: string;
}

export interface ChaptersDocument {
  version: "1.2.0";
  chapters: { startTime: number; endTime?: number; title: string; url?: string }[];
}

export function buildChaptersJson(chapters: Chapter[]): ChaptersDocument {
  return {
    version: "1.2.0",
    chapters: chapters.map((c) => ({
      startTime: c.startMs / 1000,
      ...(c.endMs !== undefined ? { endTime: c.endMs / 1000 } : {}),
      title: c.title,
      ...(c.url ? { url: c.url } : {}),
    })),
  };
}
