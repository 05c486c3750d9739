// A real OpenAI-compatible HTTP server on 127.0.0.1 for tests and benches: POST
// /v1/chat/completions, answered as JSON or as an SSE stream (`data: {...}` chunks then
// `data: [DONE]`) when the request asks for `stream: true`. What each model does is scripted
// per model name; a list of behaviours is played in order (the last one repeats). Every
// request is recorded, headers included, so tests can check what the router sent.
// One server is one vendor: `outage()` takes every model down at once (503), as real outages
// do, and a model may have a context window: a longer request is refused with OpenAI's own
// 400 `context_length_exceeded` body (tokens counted with the same tokenizer family).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { encode } from "gpt-tokenizer";

export type Behaviour =
  | { kind: "ok"; content: string; finishReason?: string; usage?: boolean; delayMs?: number; chunkDelayMs?: number; chunks?: number; responseModel?: string }
  | { kind: "error"; status: number; message?: string; headers?: Record<string, string> }
  | { kind: "hang" }
  | { kind: "refusal"; refusal: string }
  | { kind: "drop" }
  | { kind: "echo_auth"; status: number }
  | ((call: RecordedCall) => Behaviour);

export interface RecordedCall {
  model: string;
  body: { model: string; messages: { role: string; content: string }[]; stream?: boolean; response_format?: { type: string; json_schema?: unknown }; max_tokens?: number; [k: string]: unknown };
  headers: Record<string, string>;
  at: number;
}

/** Scripted behaviours, by what they look like to a client. */
export const behave = {
  ok: (content: string, opts: Partial<Extract<Behaviour, { kind: "ok" }>> = {}): Behaviour => ({ kind: "ok", content, ...opts }),
  fail: (status = 500, message = "internal server error"): Behaviour => ({ kind: "error", status, message }),
  rateLimited: (retryAfterSeconds: number): Behaviour => ({ kind: "error", status: 429, message: "rate limit reached", headers: { "retry-after": String(retryAfterSeconds) } }),
  hang: (): Behaviour => ({ kind: "hang" }),
  slowStream: (content: string, chunkDelayMs: number, chunks = 6): Behaviour => ({ kind: "ok", content, chunkDelayMs, chunks }),
  truncated: (content: string): Behaviour => ({ kind: "ok", content, finishReason: "length" }),
  jsonInProse: (value: unknown): Behaviour => ({ kind: "ok", content: `Sure! Here is the result you asked for: ${JSON.stringify(value)} Let me know if you need anything else.` }),
  jsonInFence: (value: unknown): Behaviour => ({ kind: "ok", content: "Here you go:\n```json\n" + JSON.stringify(value, null, 2) + "\n```\n" }),
  invalidJson: (text = "{ this is not: json at all ]"): Behaviour => ({ kind: "ok", content: text }),
  refusal: (text = "I'm sorry, but I can't help with that."): Behaviour => ({ kind: "refusal", refusal: text }),
  noUsage: (content: string): Behaviour => ({ kind: "ok", content, usage: false }),
  /** Closes the connection without a reply: a network error to the client. */
  drop: (): Behaviour => ({ kind: "drop" }),
  /** An error whose body repeats the Authorization header, as careless providers do. */
  echoAuth: (status = 401): Behaviour => ({ kind: "echo_auth", status }),
};

export interface FakeOpenAI {
  /** Base URL to configure, ending in /v1. */
  url: string;
  calls: RecordedCall[];
  callsFor(model: string): RecordedCall[];
  /** Most requests one model had in flight at the same time. */
  maxInFlight(model: string): number;
  setBehaviour(model: string, b: Behaviour | Behaviour[]): void;
  /** Every model of this vendor answers 503 (or recovers with `false`). */
  outage(down?: boolean): void;
  /** The model's context window in tokens: longer requests (prompt + max_tokens) get a 400 context_length_exceeded. */
  setContextTokens(model: string, tokens: number): void;
  /** Tokens of a recorded request's messages, as this server counts them. */
  promptTokens(call: RecordedCall): number;
  close(): Promise<void>;
}

/** Tokens of the messages as OpenAI counts them for chat: content plus a few per message. */
function messageTokens(body: RecordedCall["body"]): number {
  return body.messages.reduce((sum, m) => sum + 4 + encode(m.content ?? "").length, 3);
}

export async function startFakeOpenAI(opts: { behaviours?: Record<string, Behaviour | Behaviour[]> } = {}): Promise<FakeOpenAI> {
  let down = false;
  const contextTokens = new Map<string, number>();
  const scripts = new Map<string, Behaviour[]>();
  const played = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  const calls: RecordedCall[] = [];
  const sockets = new Set<Socket>();
  const setBehaviour = (model: string, b: Behaviour | Behaviour[]) => {
    scripts.set(model, Array.isArray(b) ? b : [b]);
    played.set(model, 0);
  };
  for (const [m, b] of Object.entries(opts.behaviours ?? {})) setBehaviour(m, b);

  const server = createServer(async (req, res) => {
    if (req.method !== "POST" || !/\/chat\/completions$/.test(req.url ?? "")) return sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: "not_found" } });
    let body: RecordedCall["body"];
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendJson(res, 400, { error: { message: "body is not JSON", type: "invalid_request_error" } });
    }
    const call: RecordedCall = { model: body.model, body, headers: flatHeaders(req), at: Date.now() };
    calls.push(call);
    if (down) return sendJson(res, 503, { error: { message: "The server is overloaded or not ready yet.", type: "server_error", param: null, code: null } });
    const window = contextTokens.get(body.model);
    if (window !== undefined) {
      const prompt = messageTokens(body);
      const completion = Number(body.max_tokens ?? body.max_completion_tokens ?? 0);
      if (prompt + completion > window)
        return sendJson(res, 400, {
          error: {
            message: `This model's maximum context length is ${window} tokens. However, you requested ${prompt + completion} tokens (${prompt} in the messages, ${completion} in the completion). Please reduce the length of the messages or completion.`,
            type: "invalid_request_error",
            param: "messages",
            code: "context_length_exceeded",
          },
        });
    }
    const script = scripts.get(body.model);
    if (!script) return sendJson(res, 404, { error: { message: `The model ${body.model} does not exist`, type: "invalid_request_error", code: "model_not_found" } });
    const i = played.get(body.model) ?? 0;
    played.set(body.model, i + 1);
    let b = script[Math.min(i, script.length - 1)];
    while (typeof b === "function") b = b(call);

    const n = (inFlight.get(body.model) ?? 0) + 1;
    inFlight.set(body.model, n);
    peak.set(body.model, Math.max(peak.get(body.model) ?? 0, n));
    res.on("close", () => inFlight.set(body.model, (inFlight.get(body.model) ?? 1) - 1));
    await respond(res, req, b, body);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
    callsFor: (model) => calls.filter((c) => c.model === model),
    maxInFlight: (model) => peak.get(model) ?? 0,
    setBehaviour,
    outage: (d = true) => {
      down = d;
    },
    setContextTokens: (model, tokens) => contextTokens.set(model, tokens),
    promptTokens: (call) => messageTokens(call.body),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Plain = Exclude<Behaviour, (call: RecordedCall) => Behaviour>;

async function respond(res: ServerResponse, req: IncomingMessage, b: Plain, body: RecordedCall["body"]): Promise<void> {
  switch (b.kind) {
    case "hang":
      return; // never answers; the socket is destroyed when the client gives up or the server closes
    case "drop":
      req.socket.destroy();
      return;
    case "error":
      return sendJson(res, b.status, { error: { message: b.message ?? "error", type: b.status === 429 ? "rate_limit_error" : "server_error", code: null } }, b.headers);
    case "echo_auth":
      return sendJson(res, b.status, { error: { message: `Incorrect API key provided: ${req.headers.authorization ?? ""}`, type: "invalid_request_error", code: "invalid_api_key" } });
    case "refusal":
      return body.stream ? stream(res, body, { refusal: b.refusal }) : sendJson(res, 200, completion(body, { content: null, refusal: b.refusal }, "stop", true));
    case "ok": {
      if (b.delayMs) await sleep(b.delayMs);
      const finish = b.finishReason ?? "stop";
      if (body.stream) return stream(res, body, { content: b.content, finish, usage: b.usage !== false, chunks: b.chunks, chunkDelayMs: b.chunkDelayMs, responseModel: b.responseModel });
      if (b.chunkDelayMs) await sleep(b.chunkDelayMs * (b.chunks ?? 6));
      return sendJson(res, 200, completion(body, { content: b.content, refusal: null }, finish, b.usage !== false, b.responseModel));
    }
  }
}

function completion(body: RecordedCall["body"], message: { content: string | null; refusal: string | null }, finish: string, withUsage: boolean, responseModel?: string) {
  return {
    id: `chatcmpl-fake${Date.now()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: responseModel ?? body.model,
    choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: finish, logprobs: null }],
    ...(withUsage ? { usage: usage(body, message.content ?? message.refusal ?? "") } : {}),
  };
}

interface StreamPlan {
  content?: string;
  refusal?: string;
  finish?: string;
  usage?: boolean;
  chunks?: number;
  chunkDelayMs?: number;
  responseModel?: string;
}

async function stream(res: ServerResponse, body: RecordedCall["body"], p: StreamPlan): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const base = { id: `chatcmpl-fake${Date.now()}`, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: p.responseModel ?? body.model };
  const send = (o: unknown) => res.write(`data: ${JSON.stringify(o)}\n\n`);
  const text = p.content ?? p.refusal ?? "";
  const field = p.content !== undefined ? "content" : "refusal";
  send({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
  for (const piece of split(text, p.chunks ?? 6)) {
    if (p.chunkDelayMs) await sleep(p.chunkDelayMs);
    if (res.destroyed) return;
    send({ ...base, choices: [{ index: 0, delta: { [field]: piece }, finish_reason: null }] });
  }
  send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: p.finish ?? "stop" }] });
  const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
  if (wantsUsage && p.usage !== false) send({ ...base, choices: [], usage: usage(body, text) });
  res.end("data: [DONE]\n\n");
}

function usage(body: RecordedCall["body"], output: string) {
  const prompt_tokens = Math.ceil(body.messages.map((m) => m.content ?? "").join("").length / 4);
  const completion_tokens = Math.ceil(output.length / 4);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

function split(text: string, n: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
