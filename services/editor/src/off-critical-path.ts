// Roles off a story's critical path (intro, outro, headlines, the show pass) never hold an
// edition up: when every model of their chain fails, the task's own deterministic answer (the
// offline provider's template) stands in, and the edition's notes say so.
import type { EditionNote } from "@newsroom/platform/editorial/notes";
import { routerNotes } from "@newsroom/platform/editorial/notes";
import { ChainExhaustedError, type CallContext, type Router, type StructuredTask, type TaskResult, type TextTask } from "@newsroom/platform/router/types";

export async function runOrTemplate<I, O>(router: Router, task: StructuredTask<I, O>, input: I, ctx: CallContext, notes: EditionNote[], what: string): Promise<TaskResult<O>>;
export async function runOrTemplate<I>(router: Router, task: TextTask<I>, input: I, ctx: CallContext, notes: EditionNote[], what: string): Promise<TaskResult<string>>;
export async function runOrTemplate<I>(
  router: Router,
  task: StructuredTask<I, unknown> | TextTask<I>,
  input: I,
  ctx: CallContext,
  notes: EditionNote[],
  what: string,
): Promise<TaskResult<unknown>> {
  try {
    const r = await router.run(task as TextTask<I>, input, ctx);
    notes.push(...routerNotes(task.role, r));
    return r;
  } catch (err) {
    if (!(err instanceof ChainExhaustedError)) throw err;
    notes.push({ kind: "template_fallback", role: task.role, message: `${what}: every ${task.role} model failed, so the template text is used (${err.message.slice(0, 160)})` });
    return { output: task.offline(input), provider: "template", model: task.name, vendor: "template", camp: "local", completion: "fell_back", offline: true };
  }
}
