// One trace per story, linked to its edition's trace: the story's trace starts when ingest
// stores it, its context is kept on the story row, and every event about the story is sent
// inside it, so one story's work across all five services is one trace.
import { context, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { extractContext, injectHeaders, type Carrier } from "./propagation.js";

const tracer = trace.getTracer("newsroom.story");

/** Starts the story's trace, linked to the edition span active now; returns its context to store. */
export function startStoryTrace(ids: { editionId: string; storyId: string; title: string }): Carrier {
  const edition = trace.getSpanContext(context.active());
  const span = tracer.startSpan(
    "story",
    {
      root: true,
      links: edition ? [{ context: edition, attributes: { "newsroom.link": "edition" } }] : [],
      attributes: { "newsroom.edition.id": ids.editionId, "newsroom.story.id": ids.storyId, "newsroom.story.title": ids.title.slice(0, 200) },
    },
    ROOT_CONTEXT,
  );
  const carrier = injectHeaders({}, trace.setSpan(ROOT_CONTEXT, span));
  span.end();
  return carrier;
}

/** Runs `fn` inside the story's trace (as stored by startStoryTrace); without one, in the current context. */
export function inStoryTrace<T>(carrier: Carrier | null | undefined, fn: () => T): T {
  if (!carrier?.traceparent) return fn();
  return context.with(extractContext(carrier, ROOT_CONTEXT), fn);
}
