// The listening figures as OpenTelemetry counters, moved once per session milestone by the
// consumer (so the replicas' counters add up to the database's). With no metrics exporter
// configured (platform/src/telemetry/sdk.ts) the meter is a no-op.
import { metrics, type Counter } from "@opentelemetry/api";
import type { EditionTimes } from "./edition-times.js";
import type { Milestones } from "./progress.js";

/** Names as exported over OTLP; Prometheus shows them as newsroom_listen_sessions_started_total and so on. */
export const LISTEN_METRIC_NAMES = {
  started: "newsroom.listen.sessions.started",
  completed: "newsroom.listen.sessions.completed",
  reached: "newsroom.listen.story.reached",
  finished: "newsroom.listen.story.finished",
  downloads: "newsroom.listen.downloads",
} as const;

type Instruments = Record<keyof typeof LISTEN_METRIC_NAMES, Counter>;
let instruments: Instruments | undefined;

/** Made at first use: the metrics API has no proxy, so a meter taken before the SDK starts stays a no-op. */
function counters(): Instruments {
  if (instruments) return instruments;
  const meter = metrics.getMeter("newsroom-site");
  const n = LISTEN_METRIC_NAMES;
  return (instruments = {
    started: meter.createCounter(n.started, { description: "Listening sessions (page loads that played) per edition" }),
    completed: meter.createCounter(n.completed, { description: "Sessions that played the edition to its end" }),
    reached: meter.createCounter(n.reached, { description: "Sessions that reached a story's start" }),
    finished: meter.createCounter(n.finished, { description: "Sessions that heard a story to its end" }),
    downloads: meter.createCounter(n.downloads, { description: "MP3 downloads from the first byte, one per client a day" }),
  });
}

export function countMilestones(editionId: string, times: EditionTimes | null, m: Milestones): void {
  const c = counters();
  const edition = { "newsroom.edition.id": editionId };
  if (m.started) c.started.add(1, edition);
  if (m.completed) c.completed.add(1, edition);
  const story = (id: string) => ({ ...edition, "newsroom.story.id": id, "newsroom.story.position": (times?.stories.findIndex((s) => s.id === id) ?? -1) + 1 });
  for (const id of m.reached) c.reached.add(1, story(id));
  for (const id of m.finished) c.finished.add(1, story(id));
}

export function countDownload(editionId: string): void {
  counters().downloads.add(1, { "newsroom.edition.id": editionId });
}
