// Registry of events: subject (relative to the bus prefix) -> protobuf message from proto/.
import * as ev from "@newsroom/proto/events";

export const EVENTS = {
  "edition.requested": ev.EditionRequested,
  "story.ingested": ev.StoryIngested,
  "edition.ingested": ev.EditionIngested,
  "lineup.decided": ev.LineupDecided,
  "script.drafted": ev.ScriptDrafted,
  "script.reviewed": ev.ScriptReviewed,
  "script.approved": ev.ScriptApproved,
  "story.dropped": ev.StoryDropped,
  "segment.voiced": ev.SegmentVoiced,
  "edition.published": ev.EditionPublished,
  "listen.recorded": ev.ListenRecorded,
  "report.filed": ev.ReportFiled,
} as const;

export type EventName = keyof typeof EVENTS;
export type EventOf<N extends EventName> = ReturnType<(typeof EVENTS)[N]["decode"]>;
/** What a handler passes to `emit`: the event without its meta, which the runner fills in. */
export type EventBody<N extends EventName> = Omit<EventOf<N>, "meta">;

export function encodeEvent<N extends EventName>(name: N, event: EventOf<N>): Uint8Array {
  return (EVENTS[name] as unknown as { encode(e: EventOf<N>): { finish(): Uint8Array } }).encode(event).finish();
}

export function decodeEvent<N extends EventName>(name: N, data: Uint8Array): EventOf<N> {
  return (EVENTS[name] as unknown as { decode(d: Uint8Array): EventOf<N> }).decode(data);
}

export { Slot, ScriptKind, ReviewDecision, ListenEvent, type EventMeta } from "@newsroom/proto/events";
