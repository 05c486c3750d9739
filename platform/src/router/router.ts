// The model router: every model call in the newsroom goes through `run`. It walks the role's
// chain (reviewers never of the author's vendor, preferred camps first, cheapest first when
// the edition's budget is tight), gets a usable answer from one model or falls back to the
// next, and records every attempt in the ledger and in traces.
import { SpanStatusCode } from "@opentelemetry/api";
import type { ChainEntry, LoadedConfig } from "../config/load.js";
import type { Db } from "../db/connect.js";
import { withAirTime } from "../editorial/wording.js";
import { createLogger, redact, registerSecret, type Logger } from "../log.js";
import { answerStructured, answerText, type Answer } from "./answer.js";
import type { AttemptDeps, CallScope } from "./attempt.js";
import { cheapestFirst, eligibleCandidates, estimatedCost } from "./candidates.js";
import { createProviderClient, type ProviderClient } from "./client.js";
import { countTokens, editionSpend } from "./ledger.js";
import { contextTokensOf, fitToBudget, MAX_SHRINKS, promptBudget, shrinkOnce, type Fitted } from "./fit.js";
import { runOffline } from "./offline.js";
import { DEFAULT_BREAKER, type BreakerOptions } from "../resilience/policy.js";
import { createProviderPolicy, DEFAULT_RETRY, type ProviderPolicy, type RetryOptions } from "./policy.js";
import { EVENTS, spanEvent, startAgentSpan } from "./telemetry.js";
import { ChainExhaustedError, type CallContext, type ChatPrompt, type ModelTask, type Router, type TaskResult } from "./types.js";

export interface RouterOptions {
  config: LoadedConfig;
  db: Db;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /** Waits between retries; tests pass one that records the delays instead of sleeping. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Circuit breaker per provider; `false` turns it off (the bench compares both). */
  breaker?: BreakerOptions | false;
  retry?: Partial<RetryOptions>;
}

/** Output tokens assumed for the budget estimate when a task sets no maximum. */
const DEFAULT_OUTPUT_ESTIMATE = 1000;

export function createRouter(opts: RouterOptions): Router & { close(): Promise<void> } {
  const { config, db } = opts;
  const env = opts.env ?? process.env;
  const log = opts.log ?? createLogger("router");
  const clients = new Map<string, ProviderClient>();
  const policies = new Map<string, ProviderPolicy>();
  const breaker = opts.breaker ?? DEFAULT_BREAKER;
  // Every key is a secret from the start, not only once its provider is first called.
  for (const p of Object.values(config.providers)) if (p.api_key_env) registerSecret(env[p.api_key_env]);
  const deps: AttemptDeps = {
    db,
    log,
    sleep: opts.sleep ?? abortableSleep,
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    captureContent: env.NEWSROOM_TRACE_CONTENT === "true",
    client: (e) => getOrCreate(clients, e.provider, () => createProviderClient(e.provider, e.config, env)),
    // One breaker per provider (an endpoint), shared by all its models: outages hit whole vendors.
    policy: (e) => getOrCreate(policies, e.provider, () => createProviderPolicy(e.config, breaker)),
  };
  let closed = false;

  async function run<I, O>(task: ModelTask<I, O>, input: I, ctx: CallContext = {}): Promise<TaskResult<O | string>> {
    if (closed) throw new Error("the model router is closed");
    const agentSpan = startAgentSpan(task.role, task.name, ctx);
    try {
      const result = await walkChain(task, input, ctx, {
        role: task.role,
        task: task.name,
        editionId: ctx.editionId,
        storyId: ctx.storyId,
        agentSpan,
        ctx,
        temperature: config.temperature[task.role],
      });
      agentSpan.setAttributes({
        "gen_ai.provider.name": result.provider,
        "gen_ai.request.model": result.model,
        "newsroom.provider.camp": result.camp,
        "newsroom.completion": result.completion,
        "newsroom.offline": result.offline,
      });
      return result;
    } catch (err) {
      agentSpan.setAttribute("error.type", (err as Error)?.name ?? "error");
      agentSpan.setStatus({ code: SpanStatusCode.ERROR, message: redact(String((err as Error)?.message ?? err)).slice(0, 300) });
      throw err;
    } finally {
      agentSpan.end();
    }
  }

  const warnedSelfReview = new Set<string>();

  async function walkChain<I, O>(task: ModelTask<I, O>, input: I, ctx: CallContext, scope: CallScope): Promise<TaskResult<O | string>> {
    const chain = config.chains[task.role];
    if (!chain?.length) throw new Error(`roles.${task.role}: no model chain configured`);
    const { entries, selfReview } = eligibleCandidates(task.role, chain, ctx, config.allow_single_camp);
    const promptOf = (i: I) => withAirTime(task.prompt(i), ctx.airTime);
    const prompt = promptOf(input);
    const notes: string[] = [];
    if (selfReview) {
      notes.push(`${task.role} reviewed by the author's own vendor (allow_single_camp is on)`);
      // The ledger note records every case; the log says it once per role, not once per story.
      if (!warnedSelfReview.has(task.role)) {
        warnedSelfReview.add(task.role);
        // The start-up warning already says single-camp mode is on; this detail is for the curious.
        log.info(`${notes[notes.length - 1]}; said once per role`, { avoid: ctx.avoidVendors });
      }
    }
    const candidates = await budgetOrder(entries, task, prompt, ctx, scope, notes);
    scope.note = notes.join("; ") || undefined;

    const attempts: ChainExhaustedError["attempts"] = [];
    for (const [i, entry] of candidates.entries()) {
      const fellBack = attempts.length > 0;
      const offline = entry.config.kind === "offline";
      let fitted = offline ? { input, prompt, shrinks: 0, tokens: 0 } : fitToBudget(task, input, promptOf, promptBudget(entry, task));
      if (fitted.shrinks) fitEvent(scope, entry, fitted, "fit_context");
      let answer = await answerFrom(entry, task, fitted.input, fitted.prompt, scope, fellBack ? "fell_back" : "ok");
      // The provider counts differently than we do: shrink and ask the same model again before falling back.
      for (let n = 0; !answer.ok && answer.errorClass === "context_length_exceeded" && n < MAX_SHRINKS; n++) {
        const smaller = shrinkOnce(task, fitted, promptOf);
        if (!smaller) break;
        fitted = smaller;
        fitEvent(scope, entry, fitted, "context_length_exceeded");
        answer = await answerFrom(entry, task, fitted.input, fitted.prompt, scope, fellBack ? "fell_back" : "ok");
      }
      if (answer.ok) {
        return {
          output: answer.output,
          provider: entry.provider,
          model: entry.model,
          vendor: entry.vendor,
          camp: entry.camp,
          completion: fellBack ? "fell_back" : answer.completion,
          offline: entry.config.kind === "offline",
          notes: notes.length ? notes : undefined,
          unreachedCamps: fellBack ? [...new Set(attempts.map((a) => a.camp!).filter((c) => c !== entry.camp))] : undefined,
        };
      }
      attempts.push({ ref: entry.ref, outcome: answer.outcome, error: `${answer.errorClass}: ${answer.message}`.slice(0, 200), camp: entry.camp });
      const next = candidates[i + 1];
      spanEvent(scope.agentSpan, EVENTS.fallback, {
        "newsroom.from": entry.ref,
        "newsroom.to": next?.ref ?? "none",
        "newsroom.reason": answer.errorClass,
        "newsroom.outcome": answer.outcome,
      });
      log.warn(`${task.role}: ${entry.ref} failed (${answer.errorClass})${next ? `; falling back to ${next.ref}` : ""}`, { task: task.name });
    }
    throw new ChainExhaustedError(task.role, attempts);
  }

  function answerFrom<I, O>(entry: ChainEntry, task: ModelTask<I, O>, input: I, prompt: ChatPrompt, scope: CallScope, finalOutcome: "ok" | "fell_back"): Promise<Answer<O | string>> {
    if (entry.config.kind === "offline")
      return runOffline(deps, scope, entry, task, input, prompt, finalOutcome).then((r) =>
        r.ok ? { ok: true, output: r.output as O | string, completion: "whole" as const } : { ...r, ok: false as const },
      );
    return task.schema ? answerStructured(deps, scope, entry, task, input, prompt, finalOutcome) : answerText(deps, scope, entry, task, input, prompt, finalOutcome);
  }

  /** When the next call would take the edition past its budget, the cheapest eligible model goes first. */
  async function budgetOrder<I, O>(entries: ChainEntry[], task: ModelTask<I, O>, prompt: ChatPrompt, ctx: CallContext, scope: CallScope, notes: string[]) {
    if (!ctx.editionId || entries.length < 2) return entries;
    const spent = await editionSpend(db, ctx.editionId);
    const inputTokens = countTokens(`${prompt.system}\n${prompt.user}`);
    const cost = (e: ChainEntry) => estimatedCost(e, inputTokens, task.maxOutputTokens ?? DEFAULT_OUTPUT_ESTIMATE);
    const next = cost(entries[0]);
    const budget = config.edition.budget_usd;
    if (spent + next <= budget) return entries;
    const cheap = cheapestFirst(entries, ctx, cost);
    const note = `budget: spent $${spent.toFixed(4)} + next call ~$${next.toFixed(4)} would pass $${budget}; cheapest eligible model first (${cheap[0].ref})`;
    notes.push(note);
    spanEvent(scope.agentSpan, EVENTS.budget, {
      "newsroom.budget.usd": budget,
      "newsroom.budget.spent_usd": spent,
      "newsroom.budget.next_usd": next,
      "newsroom.budget.chosen": cheap[0].ref,
      "newsroom.reason": "edition budget would be exceeded",
    });
    log.warn(`${task.role}: ${note}`, { edition: ctx.editionId });
    return cheap;
  }

  return {
    run: run as Router["run"],
    async close() {
      closed = true;
    },
  };
}

/** A prompt shrunk to fit a model's context: visible in the trace. */
function fitEvent(scope: CallScope, entry: ChainEntry, fitted: Fitted<unknown>, reason: string): void {
  spanEvent(scope.agentSpan, EVENTS.fit, {
    "newsroom.model": entry.ref,
    "newsroom.reason": reason,
    "newsroom.context.tokens": contextTokensOf(entry),
    "newsroom.prompt.tokens": fitted.tokens,
    "newsroom.prompt.shrinks": fitted.shrinks,
  });
}

function getOrCreate<V>(map: Map<string, V>, key: string, make: () => V): V {
  let v = map.get(key);
  if (!v) map.set(key, (v = make()));
  return v;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => (signal?.removeEventListener("abort", onAbort), resolve()), ms);
    const onAbort = () => (clearTimeout(t), reject(signal?.reason));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
