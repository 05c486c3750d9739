// The newsroom's map, declared once: its services, the events between them and the roles they
// run. The service specs (what each relay publishes, the durable consumer names), the list of
// service names, the deploy checks (NATS permissions, role-to-service), the README diagram
// (`npm run map:gen`) and the per-service READMEs are derived from this declaration, and
// test/map/newsroom-map.test.ts fails when the code's registrations and it disagree.
import type { ModelRole, Persona } from "./config/schema.js";
import type { EventName } from "./events.js";

/** The services that make editions, in pipeline order: `serve all` and the embedded edition run these. */
export const PIPELINE_SERVICES = ["ingest", "editor", "factcheck", "voice", "publisher"] as const;
/** Every service: the pipeline and the listener site. `newsroom serve <name>` and the Deployments use these names. */
export const SERVICE_NAMES = [...PIPELINE_SERVICES, "site"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * Roles without a model of their own: the scout and curator go by feeds and timestamps, the
 * producer by code; the corrections desk asks the fact checker and cross reviewer and decides by code.
 */
export type CodeRole = "scout" | "curator" | "producer" | "corrections_desk";
export type RoleName = ModelRole | Persona | CodeRole;

export interface ServiceDeclaration {
  /** What the service does, as a verb phrase after "the <name> service" (READMEs). */
  job: string;
  /** gRPC services it serves besides grpc.health.v1, by full proto name. */
  grpc: readonly string[];
}

export interface EventDeclaration {
  /** What happened, in one sentence. */
  meaning: string;
  /** Services that write it to their outbox (their relay publishes it; their NATS user may). */
  from: readonly ServiceName[];
  /** Services with a durable consumer of it. */
  to: readonly ServiceName[];
}

export interface RoleDeclaration {
  service: ServiceName;
  /** The file where the role's work is written, relative to the repository root. */
  module: string;
  /** model: a chain of models from the config; voice: a persona with a chain of voices; code: no model. */
  kind: "model" | "voice" | "code";
  /** What the role does, as a verb phrase: "writes each story's script from its sources". */
  job: string;
}

export interface NewsroomDeclaration {
  services: Record<ServiceName, ServiceDeclaration>;
  events: Record<EventName, EventDeclaration>;
  roles: Record<RoleName, RoleDeclaration>;
}

export const NEWSROOM = {
  services: {
    ingest: {
      job: "reads the feeds and turns their items into the edition's candidate stories; the newsroom's front door (API and schedule)",
      grpc: ["newsroom.v1.NewsroomService"],
    },
    editor: { job: "decides the lineup and writes, revises and headlines each story's script", grpc: [] },
    factcheck: { job: "reviews every drafted script against its sources and decides: approve, revise or drop", grpc: [] },
    voice: { job: "voices approved scripts with the anchors' voices; streams speech on request", grpc: ["newsroom.v1.VoiceService"] },
    publisher: { job: "assembles the edition (MP3, chapters, transcript, feed, page) when every story is in, or at the deadline", grpc: [] },
    site: { job: "serves the published editions and feeds to listeners over HTTP (stateless, any number of replicas)", grpc: [] },
  },
  events: {
    "edition.requested": { meaning: "an edition is asked for (API, schedule or CLI)", from: ["ingest"], to: ["ingest"] },
    "story.ingested": { meaning: "one candidate story is stored (starts the story's trace)", from: ["ingest"], to: [] },
    "edition.ingested": { meaning: "every candidate story is stored; the lineup can be decided", from: ["ingest"], to: ["editor"] },
    "lineup.decided": { meaning: "one story is in the lineup, with its position", from: ["editor"], to: ["editor"] },
    "script.drafted": { meaning: "a script version is ready for review", from: ["editor"], to: ["factcheck"] },
    "script.reviewed": { meaning: "the arbiter's decision after all reviews; the editor revises when asked", from: ["factcheck"], to: ["editor"] },
    "script.approved": { meaning: "a script is ready for the microphone", from: ["editor", "factcheck"], to: ["voice"] },
    "story.dropped": { meaning: "a story leaves the lineup, with the stage and reason", from: ["editor", "factcheck"], to: ["publisher"] },
    "segment.voiced": { meaning: "all audio of one script is stored", from: ["voice"], to: ["publisher"] },
    "edition.published": { meaning: "the edition's files are written", from: ["publisher"], to: [] },
    // The site consumes its own event: its replicas share one durable consumer, so each beacon is
    // aggregated once while the replicas keep no state.
    "listen.recorded": { meaning: "a listener's player reported listening (or an app downloaded the MP3)", from: ["site"], to: ["site"] },
    "report.filed": { meaning: "a listener reported a problem with one aired story; the corrections desk decides it", from: ["site"], to: ["factcheck"] },
  },
  roles: {
    scout: { service: "ingest", module: "services/ingest/src/roles/scout.ts", kind: "code", job: "fetches the feeds (conditional GET, every feed format)" },
    curator: {
      service: "ingest",
      module: "services/ingest/src/roles/curator.ts",
      kind: "code",
      job: "dedupes and clusters items into stories, keeping the window by source timestamps",
    },
    editor_in_chief: { service: "editor", module: "services/editor/src/roles/editor-in-chief.ts", kind: "model", job: "ranks the stories for the slot" },
    deputy_editor: { service: "editor", module: "services/editor/src/roles/deputy-editor.ts", kind: "model", job: "gives a second opinion on the lineup, from the other camp" },
    writer: { service: "editor", module: "services/editor/src/roles/writer.ts", kind: "model", job: "writes each story's script from its sources" },
    translator: { service: "editor", module: "services/editor/src/roles/translator.ts", kind: "model", job: "brings sources into the edition's language" },
    headline_editor: {
      service: "editor",
      module: "services/editor/src/roles/headline-editor.ts",
      kind: "model",
      job: "writes the headlines, the greetings and the show's rundown, transitions and recap",
    },
    fact_checker: { service: "factcheck", module: "services/factcheck/src/roles/fact-checker.ts", kind: "model", job: "checks every claim against the sources" },
    cross_reviewer: { service: "factcheck", module: "services/factcheck/src/roles/cross-reviewer.ts", kind: "model", job: "reviews the script from the other camp" },
    freshness_judge: {
      service: "factcheck",
      module: "services/factcheck/src/roles/freshness-judge.ts",
      kind: "model",
      job: "calls a story old news or fake only with evidence",
    },
    corrections_desk: {
      service: "factcheck",
      module: "services/factcheck/src/roles/corrections-desk.ts",
      kind: "code",
      job: "decides each listener report against the story's sources and any newer source, with the fact checker and cross reviewer of two camps",
    },
    arbiter: { service: "factcheck", module: "services/factcheck/src/roles/arbiter.ts", kind: "model", job: "decides between the reviews, within a bounded number of revisions" },
    anchor_a: { service: "voice", module: "services/voice/src/roles/anchor.ts", kind: "voice", job: "reads the lead's lines" },
    anchor_b: { service: "voice", module: "services/voice/src/roles/anchor.ts", kind: "voice", job: "reads the co-host's lines in two-anchor editions" },
    producer: {
      service: "publisher",
      module: "services/publisher/src/roles/producer.ts",
      kind: "code",
      job: "checks the edition is complete and assembles audio, chapters, transcript, feed and page",
    },
  },
} as const satisfies NewsroomDeclaration;

type Declared = typeof NEWSROOM;
/** Events the declaration says `S` consumes. */
export type ConsumedBy<S extends ServiceName> = { [E in EventName]: S extends Declared["events"][E]["to"][number] ? E : never }[EventName];

// The functions below read the declaration they are given (the newsroom's own by default), so a
// test can ask the same questions of a doctored map.
const eventsOf = (map: NewsroomDeclaration) => Object.entries(map.events) as [EventName, EventDeclaration][];

/** Events `service` writes to its outbox: its relay publishes exactly these. */
export function emitsOf(service: ServiceName, map: NewsroomDeclaration = NEWSROOM): EventName[] {
  return eventsOf(map).flatMap(([e, d]) => (d.from.includes(service) ? [e] : []));
}

/** Events `service` has a durable consumer of. */
export function consumesOf(service: ServiceName, map: NewsroomDeclaration = NEWSROOM): EventName[] {
  return eventsOf(map).flatMap(([e, d]) => (d.to.includes(service) ? [e] : []));
}

/** The durable consumer name of `service` for `event`: "editor-lineup-decided". */
export function consumerName(service: ServiceName, event: EventName): string {
  return `${service}-${event.replaceAll(".", "-")}`;
}

/** A service's durable consumers, by name, with the event each reads. */
export function consumersOf(service: ServiceName, map: NewsroomDeclaration = NEWSROOM): Record<string, EventName> {
  return Object.fromEntries(consumesOf(service, map).map((e) => [consumerName(service, e), e]));
}

/** The roles a service runs, by name. */
export function rolesOf(service: ServiceName, map: NewsroomDeclaration = NEWSROOM): RoleName[] {
  return (Object.entries(map.roles) as [RoleName, RoleDeclaration][]).flatMap(([r, d]) => (d.service === service ? [r] : []));
}

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}
