// One OpenAI-compatible provider through the `openai` SDK: a single chat request, plain or
// streamed, with the attempt's own timeout. The SDK does no retries (the router does).
import OpenAI, { APIUserAbortError } from "openai";
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { ProviderConfig } from "../config/schema.js";
import { registerSecret } from "../log.js";
import { AttemptTimeoutError, MissingApiKeyError } from "./policy.js";
import type { ResponseFormat } from "./structured.js";

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  responseFormat?: ResponseFormat;
  maxTokens?: number;
  temperature?: number;
}

export interface ChatReply {
  content: string;
  /** The provider's explicit refusal (OpenAI's `message.refusal`), if any. */
  refusal?: string;
  finishReason: string | null;
  responseModel?: string;
  usage?: { input: number; output: number };
}

export interface ChatOptions {
  signal?: AbortSignal;
  /** Called as stream chunks arrive (at most once a second). */
  working?: () => void;
}

export interface ProviderClient {
  chat(req: ChatRequest, opts?: ChatOptions): Promise<ChatReply>;
}

/** Ollama and other local servers take any key; the SDK insists on one. */
const NO_KEY = "no-key";
const WORKING_EVERY_MS = 1000;

export function createProviderClient(name: string, cfg: ProviderConfig, env: NodeJS.ProcessEnv): ProviderClient {
  const key = cfg.api_key_env ? env[cfg.api_key_env] : NO_KEY;
  registerSecret(key);
  const sdk = key ? new OpenAI({ baseURL: cfg.base_url, apiKey: key, timeout: cfg.timeout_ms, maxRetries: 0 }) : undefined;

  return {
    async chat(req, opts = {}) {
      if (!sdk) throw new MissingApiKeyError(`providers.${name}: environment variable ${cfg.api_key_env} is not set`);
      const body: ChatCompletionCreateParamsNonStreaming = {
        model: req.model,
        messages: req.messages as ChatCompletionMessageParam[],
        ...(req.responseFormat ? { response_format: req.responseFormat } : {}),
        ...(req.maxTokens ? { [cfg.max_tokens_param]: req.maxTokens } : {}),
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      };
      const deadline = attemptDeadline(cfg.timeout_ms, opts.signal);
      try {
        return cfg.stream ? await streamed(sdk, body, deadline, opts.working) : await plain(sdk, body, deadline.signal);
      } catch (err) {
        if (deadline.timedOut && (err instanceof APIUserAbortError || (err as Error)?.name === "AbortError"))
          throw new AttemptTimeoutError(`no reply from ${name} within ${cfg.timeout_ms} ms`);
        throw err;
      } finally {
        deadline.clear();
      }
    },
  };
}

async function plain(sdk: OpenAI, body: ChatCompletionCreateParamsNonStreaming, signal: AbortSignal): Promise<ChatReply> {
  const r = await sdk.chat.completions.create(body, { signal });
  const choice = r.choices?.[0];
  return {
    content: withoutReasoning(choice?.message?.content ?? ""),
    refusal: choice?.message?.refusal ?? undefined,
    finishReason: choice?.finish_reason ?? null,
    responseModel: r.model,
    usage: r.usage ? { input: r.usage.prompt_tokens, output: r.usage.completion_tokens } : undefined,
  };
}

/** Assembles an SSE stream; the timeout counts from the last chunk, so a slow but live stream is not cut. */
async function streamed(sdk: OpenAI, body: ChatCompletionCreateParamsNonStreaming, deadline: Deadline, working?: () => void): Promise<ChatReply> {
  const stream = await sdk.chat.completions.create(
    { ...body, stream: true, stream_options: { include_usage: true } },
    { signal: deadline.signal },
  );
  const reply: ChatReply = { content: "", finishReason: null };
  let refusal = "";
  let lastWorking = 0;
  for await (const chunk of stream) {
    deadline.extend();
    const now = Date.now();
    if (working && now - lastWorking >= WORKING_EVERY_MS) {
      lastWorking = now;
      working();
    }
    const choice = chunk.choices?.[0];
    reply.content += choice?.delta?.content ?? "";
    refusal += choice?.delta?.refusal ?? "";
    if (choice?.finish_reason) reply.finishReason = choice.finish_reason;
    if (chunk.model) reply.responseModel = chunk.model;
    if (chunk.usage) reply.usage = { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens };
  }
  if (refusal) reply.refusal = refusal;
  reply.content = withoutReasoning(reply.content);
  return reply;
}

/** Reasoning models may put their thinking in the content before the answer; only the answer is the reply. */
export function withoutReasoning(content: string): string {
  return content.replace(/^\s*<think>[\s\S]*?<\/think>\s*/, "");
}

interface Deadline {
  signal: AbortSignal;
  timedOut: boolean;
  extend(): void;
  clear(): void;
}

/** An abort signal that fires after `ms` (restartable) or when the caller's signal does. */
function attemptDeadline(ms: number, caller?: AbortSignal): Deadline {
  const ctl = new AbortController();
  const onCallerAbort = () => ctl.abort(caller?.reason);
  caller?.addEventListener("abort", onCallerAbort, { once: true });
  if (caller?.aborted) ctl.abort(caller.reason);
  let timer: NodeJS.Timeout;
  const d: Deadline = {
    signal: ctl.signal,
    timedOut: false,
    extend() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        d.timedOut = true;
        ctl.abort(new AttemptTimeoutError(`timed out after ${ms} ms`));
      }, ms);
    },
    clear() {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onCallerAbort);
    },
  };
  d.extend();
  return d;
}
