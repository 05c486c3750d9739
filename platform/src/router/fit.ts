// Every prompt fits the model it is sent to. A provider (or one of its models) declares
// `context_tokens` (default 16000); the prompt plus the reply's token budget must stay under it,
// with a margin for the provider's own counting and the structured-output instructions. A task
// that can shrink (shorter summaries, fewer candidates, sources cut to what the role needs) is
// shrunk until it fits, and again when a provider still answers `context_length_exceeded`.
import type { ChainEntry } from "../config/load.js";
import { countTokens } from "./ledger.js";
import type { ChatPrompt, ModelTask } from "./types.js";

/** Share of the window a prompt may fill: the rest covers tokenizer differences and schema text. */
const MARGIN = 0.9;
/** Reply tokens assumed when a task sets no maximum. */
const REPLY_ESTIMATE = 1000;
/** Shrinks tried before giving up on a model (each halves or trims something). */
export const MAX_SHRINKS = 8;

export interface Fitted<I> {
  input: I;
  prompt: ChatPrompt;
  /** How many times the input was shrunk to get here. */
  shrinks: number;
  tokens: number;
}

export function contextTokensOf(entry: ChainEntry): number {
  return entry.config.models[entry.model]?.context_tokens ?? entry.config.context_tokens;
}

/** Tokens the prompt may take on this model. */
export function promptBudget(entry: ChainEntry, task: Pick<ModelTask<unknown, unknown>, "maxOutputTokens">): number {
  return Math.floor(contextTokensOf(entry) * MARGIN) - (task.maxOutputTokens ?? REPLY_ESTIMATE);
}

export function promptTokens(p: ChatPrompt): number {
  return countTokens(`${p.system}\n${p.user}`);
}

/** The input shrunk until its prompt fits `budget` (or until the task cannot shrink it any more). */
export function fitToBudget<I>(task: Pick<ModelTask<I, unknown>, "shrink">, input: I, promptOf: (i: I) => ChatPrompt, budget: number): Fitted<I> {
  let fitted: Fitted<I> = { input, prompt: promptOf(input), shrinks: 0, tokens: 0 };
  fitted.tokens = promptTokens(fitted.prompt);
  while (fitted.tokens > budget && fitted.shrinks < MAX_SHRINKS) {
    const smaller = shrinkOnce(task, fitted, promptOf);
    if (!smaller) break;
    fitted = smaller;
  }
  return fitted;
}

/** One step smaller, or null when the task cannot shrink. */
export function shrinkOnce<I>(task: Pick<ModelTask<I, unknown>, "shrink">, fitted: Fitted<I>, promptOf: (i: I) => ChatPrompt): Fitted<I> | null {
  const input = task.shrink?.(fitted.input);
  if (input === undefined || input === null) return null;
  const prompt = promptOf(input);
  return { input, prompt, shrinks: fitted.shrinks + 1, tokens: promptTokens(prompt) };
}
