// Getting a usable answer out of one model: structured replies are parsed and validated with
// one repair round; prose replies are checked for truncation with one continuation round.
// Anything still wrong is a failure, and the router falls back to the next model.
import type { ChainEntry } from "../config/load.js";
import type { CallOutcome } from "../db/schema.js";
import { callModel, type AttemptDeps, type CallScope } from "./attempt.js";
import type { ChatMessage } from "./client.js";
import { refusalOf } from "./refusal.js";
import { parseStructured, repairPrompt, structuredRequest } from "./structured.js";
import { EVENTS } from "./telemetry.js";
import { continuePrompt, joinContinuation, truncationReason } from "./truncation.js";
import type { ChatPrompt, StructuredTask, TextTask } from "./types.js";

export type Answer<O> =
  | { ok: true; output: O; completion: "whole" | "continued" }
  | { ok: false; outcome: CallOutcome; errorClass: string; message: string };

/** A reply that arrived but could not be used, with the errors a repair round sends back. */
type Rejected = { reply: string; errors: string[]; outcome: CallOutcome; errorClass: string };

const fail = (outcome: CallOutcome, errorClass: string, message: string) => ({ ok: false, outcome, errorClass, message }) as const;

export async function answerStructured<I, O>(
  deps: AttemptDeps,
  scope: CallScope,
  entry: ChainEntry,
  task: StructuredTask<I, O>,
  input: I,
  prompt: ChatPrompt,
  finalOutcome: CallOutcome,
): Promise<Answer<O>> {
  const req = structuredRequest(entry.config.structured_output, task.name, task.schema, prompt);
  const messages: ChatMessage[] = [
    { role: "system", content: req.prompt.system },
    { role: "user", content: req.prompt.user },
  ];
  /** One call; a bad reply comes back as the errors to send in the repair round. */
  const ask = async (msgs: ChatMessage[], purpose: "answer" | "repair"): Promise<Answer<O> | Rejected> => {
    const a = await callModel(deps, scope, entry, { model: entry.model, messages: msgs, responseFormat: req.responseFormat, maxTokens: task.maxOutputTokens }, purpose);
    if (a.kind === "failed") return fail(a.outcome, a.errorClass, a.message);
    const refusal = refusalOf(a.reply);
    if (refusal) {
      await a.settle("refused", { errorClass: "refusal", note: refusal.slice(0, 200) });
      return fail("refused", "refusal", refusal.slice(0, 200));
    }
    const cut = a.reply.finishReason === "length";
    let parsed = cut ? undefined : parseStructured(a.reply.content, task.schema);
    const problems = parsed?.ok ? (task.check?.(parsed.value, input) ?? []) : [];
    if (problems.length) parsed = { ok: false, errors: problems };
    if (parsed?.ok) {
      await a.settle(finalOutcome, { note: purpose === "repair" ? "repaired after invalid output" : undefined });
      return { ok: true, output: parsed.value, completion: "whole" };
    }
    const errors = parsed ? parsed.errors : ["the reply was cut off at the token limit; reply with complete, more concise JSON"];
    const outcome = cut ? "truncated" : "invalid";
    const errorClass = cut ? "truncated_length" : "invalid_output";
    await a.settle(outcome, {
      errorClass,
      note: errors.join("; "),
      event: cut ? truncationEvent("length", purpose === "answer" ? "repair" : "fall_back") : undefined,
    });
    return { reply: a.reply.content, errors, outcome, errorClass };
  };

  const first = await ask(messages, "answer");
  if (!("errors" in first)) return first;
  const again = await ask([...messages, { role: "assistant", content: first.reply }, { role: "user", content: repairPrompt(first.errors, task.schema) }], "repair");
  return "errors" in again ? fail(again.outcome, again.errorClass, again.errors.join("; ")) : again;
}

export async function answerText<I>(
  deps: AttemptDeps,
  scope: CallScope,
  entry: ChainEntry,
  task: TextTask<I>,
  input: I,
  prompt: ChatPrompt,
  finalOutcome: CallOutcome,
): Promise<Answer<string>> {
  const minChars = task.minChars?.(input) ?? 0;
  const messages: ChatMessage[] = [
    { role: "system", content: prompt.system },
    { role: "user", content: prompt.user },
  ];
  const first = await callModel(deps, scope, entry, { model: entry.model, messages, maxTokens: task.maxOutputTokens }, "answer");
  if (first.kind === "failed") return fail(first.outcome, first.errorClass, first.message);
  const refusal = refusalOf(first.reply);
  if (refusal) {
    await first.settle("refused", { errorClass: "refusal", note: refusal.slice(0, 200) });
    return fail("refused", "refusal", refusal.slice(0, 200));
  }
  const text = first.reply.content.trim();
  const reason = truncationReason(text, first.reply.finishReason, minChars);
  if (!reason) {
    await first.settle(finalOutcome);
    return { ok: true, output: text, completion: "whole" };
  }
  await first.settle("truncated", { errorClass: `truncated_${reason}`, note: `cut off (${reason}); asking it to continue`, event: truncationEvent(reason, "continue") });

  const more = await callModel(
    deps,
    scope,
    entry,
    { model: entry.model, messages: [...messages, { role: "assistant", content: first.reply.content }, { role: "user", content: continuePrompt(reason, minChars) }], maxTokens: task.maxOutputTokens },
    "continue",
  );
  if (more.kind === "failed") return fail("truncated", `truncated_${reason}`, `continuation failed: ${more.message}`);
  const joined = joinContinuation(text, more.reply.content).trim();
  const still = refusalOf(more.reply) ? "mid_sentence" : truncationReason(joined, more.reply.finishReason, minChars);
  if (!still) {
    await more.settle("continued", { note: `continued after ${reason}` });
    return { ok: true, output: joined, completion: "continued" };
  }
  await more.settle("truncated", { errorClass: `truncated_${still}`, note: `still cut off (${still}) after continuing; falling back`, event: truncationEvent(still, "fall_back") });
  return fail("truncated", `truncated_${still}`, `still cut off (${still}) after one continuation`);
}

function truncationEvent(reason: string, action: string) {
  return { name: EVENTS.truncation, attrs: { "newsroom.reason": reason, "newsroom.action": action } };
}
