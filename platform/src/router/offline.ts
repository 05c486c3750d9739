// The embedded offline provider: never touches the network. The task's own `offline(input)`
// (deterministic, extractive, written per task by the pipeline) is the answer; here it is
// validated like any model's reply and recorded in the ledger at zero cost.
import type { ChainEntry } from "../config/load.js";
import type { CallOutcome } from "../db/schema.js";
import { redact } from "../log.js";
import { finishAttempt, type AttemptDeps, type CallScope } from "./attempt.js";
import { countTokens } from "./ledger.js";
import { startChatSpan } from "./telemetry.js";
import type { ChatPrompt, ModelTask } from "./types.js";

export type OfflineResult = { ok: true; output: unknown } | { ok: false; outcome: CallOutcome; errorClass: string; message: string };

export async function runOffline<I, O>(
  deps: AttemptDeps,
  scope: CallScope,
  entry: ChainEntry,
  task: ModelTask<I, O>,
  input: I,
  prompt: ChatPrompt,
  finalOutcome: CallOutcome,
): Promise<OfflineResult> {
  const span = startChatSpan(scope.agentSpan, entry, "offline", undefined, false);
  span.setAttribute("newsroom.offline", true);
  const started = performance.now();
  const inputTokens = countTokens(`${prompt.system}\n${prompt.user}`);
  const record = (outcome: CallOutcome, text: string, errorClass?: string, message?: string) =>
    finishAttempt(deps, scope, entry, span, {
      outcome,
      inputTokens,
      outputTokens: countTokens(text),
      estimated: true,
      outputChars: text.length,
      latencyMs: performance.now() - started,
      errorClass,
      errorMessage: message,
      note: message ?? "offline provider (extractive, no model)",
    });

  let output: unknown;
  try {
    output = task.offline(input);
  } catch (err) {
    const message = redact(`offline ${task.name} failed: ${(err as Error)?.message ?? String(err)}`);
    await record("error", "", "offline_error", message);
    return { ok: false, outcome: "error", errorClass: "offline_error", message };
  }
  if (task.schema) {
    const checked = task.schema.safeParse(output);
    if (!checked.success) {
      const message = `offline ${task.name} returned output that fails its schema: ${checked.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`).join("; ")}`;
      await record("invalid", JSON.stringify(output) ?? "", "invalid_output", message);
      return { ok: false, outcome: "invalid", errorClass: "invalid_output", message };
    }
    output = checked.data;
  }
  const text = typeof output === "string" ? output : JSON.stringify(output);
  await record(finalOutcome, text);
  return { ok: true, output };
}
