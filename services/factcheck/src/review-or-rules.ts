// One camp down still ships: a review role whose whole chain cannot be reached (every model of
// the other camp down, its breaker open) falls to the deterministic checks: the role's own
// offline rules (extractive support, timestamps, carried-over instructions), run by code.
// The result says which camps could not be reached, so the story is marked "reviewed without".
import type { Camp } from "@newsroom/platform/config/schema";
import { RULES } from "@newsroom/platform/editorial/review";
import { ChainExhaustedError, type CallContext, type Router, type StructuredTask, type TaskResult } from "@newsroom/platform/router/types";

export async function reviewOrRules<I, O>(router: Router, task: StructuredTask<I, O>, input: I, call: CallContext): Promise<TaskResult<O>> {
  try {
    return await router.run(task, input, call);
  } catch (err) {
    if (!(err instanceof ChainExhaustedError)) throw err;
    const unreached = [...new Set(err.attempts.map((a) => a.camp).filter((c): c is Camp => !!c))];
    return {
      output: task.offline(input),
      provider: RULES.provider,
      model: RULES.model,
      vendor: RULES.provider,
      camp: RULES.camp,
      completion: "fell_back",
      offline: false,
      notes: [`${task.role}: no model could be reached (${err.message.slice(0, 200)}); the deterministic checks reviewed instead`],
      unreachedCamps: unreached,
    };
  }
}

/** Camps some review wanted and could not reach, that gave none of the reviews. */
export function campsWithout(results: Pick<TaskResult<unknown>, "camp" | "unreachedCamps">[]): Camp[] {
  const answered = new Set(results.map((r) => r.camp));
  return [...new Set(results.flatMap((r) => r.unreachedCamps ?? []))].filter((c) => !answered.has(c) && c !== "local");
}
