// What callers of the model router see. A role's work is a ModelTask: the prompt for real
// models, the schema its reply must satisfy, and the offline provider's own answer.
import type { z } from "zod";
import type { Camp, ModelRole } from "../config/schema.js";

export interface ChatPrompt {
  system: string;
  /** Source text must sit inside delimited data blocks (see router/prompt.ts), never as instructions. */
  user: string;
}

interface TaskBase<I> {
  /** Short name for spans and ledger notes, e.g. "write_script". */
  name: string;
  role: ModelRole;
  prompt(input: I): ChatPrompt;
  maxOutputTokens?: number;
  /** A smaller input for a model whose context the prompt does not fit (shorter texts, fewer items), or null when nothing more can go. */
  shrink?(input: I): I | null;
}

/** A task whose reply is JSON validated against `schema`. */
export interface StructuredTask<I, O> extends TaskBase<I> {
  schema: z.ZodType<O>;
  /** The embedded offline provider's deterministic, extractive answer, derived from the input. */
  offline(input: I): O;
  /** What code checks in a reply that the schema cannot (ids that exist...): problems are sent back in the repair round. */
  check?(output: O, input: I): string[];
}

/** A task whose reply is prose (scripts): checked for truncation, continued or fallen back. */
export interface TextTask<I> extends TaskBase<I> {
  schema?: undefined;
  offline(input: I): string;
  /** A reply shorter than this (characters) counts as cut off. */
  minChars?(input: I): number;
}

export type ModelTask<I, O> = StructuredTask<I, O> | TextTask<I>;

/** When the edition airs: every editorial prompt states it (editorial/wording.ts). */
export interface AirTime {
  now: string;
  timeZone: string;
  language: "zh" | "en" | "bilingual";
}

export interface CallContext {
  editionId?: string;
  /** The edition's air time; the router adds it, and the training cut-off rule, to the system prompt. */
  airTime?: AirTime;
  storyId?: string;
  /** Vendors that must not answer (the author of what is being reviewed). */
  avoidVendors?: string[];
  /** Camps that must not answer (the camp that accused a story: a second opinion must come from elsewhere). */
  avoidCamps?: Camp[];
  /** Camps to prefer (e.g. the other camp for cross review); used when the chain allows it. */
  preferCamps?: Camp[];
  /** Called while a long call runs, e.g. to extend a message's ack deadline. */
  working?(): void;
  signal?: AbortSignal;
}

export interface TaskResult<O> {
  output: O;
  provider: string;
  model: string;
  vendor: string;
  camp: Camp;
  /** "whole", "continued" (truncation repaired by asking to go on) or "fell_back" (an earlier model failed). */
  completion: "whole" | "continued" | "fell_back";
  /** True when the embedded offline provider produced it (the edition's notes say so). */
  offline: boolean;
  /** What the edition's notes should say about how this was made (budget switch, waived review rule...). */
  notes?: string[];
  /** Camps whose models were tried first and could not answer (outage, breaker open...). */
  unreachedCamps?: Camp[];
}

export interface Router {
  run<I, O>(task: StructuredTask<I, O>, input: I, ctx?: CallContext): Promise<TaskResult<O>>;
  run<I>(task: TextTask<I>, input: I, ctx?: CallContext): Promise<TaskResult<string>>;
}

/** Every model of the chain failed; `attempts` says how each one did. */
export class ChainExhaustedError extends Error {
  override name = "ChainExhaustedError";
  constructor(
    readonly role: ModelRole,
    readonly attempts: { ref: string; outcome: string; error?: string; camp?: Camp }[],
  ) {
    super(`${role}: every model failed (${attempts.map((a) => `${a.ref}: ${a.outcome}${a.error ? ` ${a.error}` : ""}`).join("; ")})`);
  }
}

/** A review would have to be done by the author's own vendor, and allow_single_camp is off. */
export class ReviewIndependenceError extends Error {
  override name = "ReviewIndependenceError";
  constructor(
    readonly role: ModelRole,
    readonly avoidVendors: string[],
  ) {
    super(
      `${role}: every model in its chain is by ${avoidVendors.map((v) => `"${v}"`).join(", ")}, the vendor that wrote what it reviews; ` +
        `add a model of another vendor to roles.${role}, or set allow_single_camp: true`,
    );
  }
}
