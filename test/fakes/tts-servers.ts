// Test stand-ins for the TTS vendors: real HTTP servers on 127.0.0.1 speaking MiniMax's
// t2a_v2, ElevenLabs' text-to-speech and OpenAI's audio/speech wire formats. They return real
// PCM (a tone whose length follows the text, like speech does) and can be told to fail:
// HTTP 500 or 429, MiniMax's base_resp error inside an HTTP 200, a hang, audio cut short, or
// silence. Every request is recorded (without its key) for assertions.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type TtsFault = "500" | "429" | "base_resp" | "auth" | "hang" | "truncate" | "silence";

export interface RecordedRequest {
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  /** The text the request asked to speak. */
  text: string;
  voice: string;
  stream: boolean;
  /** What the fake did: "ok" or the fault it played. */
  answered: "ok" | TtsFault;
}

export interface FakeVendor {
  /** base_url for the config (the API root without /v1). */
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Play `fault` for the next `times` requests (queued after any already queued). */
  failNext(fault: TtsFault, times?: number): void;
  /** Script the next answers in order ("ok" answers normally), e.g. ("ok", "ok", "500"). */
  answerNext(...answers: (TtsFault | "ok")[]): void;
  /** Play `fault` on every request until cleared with `undefined` (a vendor outage). */
  failAlways(fault: TtsFault | undefined): void;
  /** Delay before every answer, in milliseconds. */
  latencyMs: number;
  close(): Promise<void>;
}

export interface FakeOptions {
  apiKey?: string;
  latencyMs?: number;
}

/** How long the fakes take to "say" a text: ~4.5 Han characters/s and ~160 English words/min. */
export function fakeSpeechMs(text: string): number {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const words = text.replace(/\p{Script=Han}/gu, " ").match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  return Math.round(han * 220 + words * 375 + 150);
}

/** 16-bit mono PCM for `text`: a tone (pitch chosen by voice) of the text's speaking length. */
export function fakeSpeech(text: string, voice: string, sampleRate: number, fault?: TtsFault): Buffer {
  const ms = fault === "truncate" ? fakeSpeechMs(text) * 0.25 : fakeSpeechMs(text);
  const n = Math.round((ms / 1000) * sampleRate);
  const pcm = Buffer.alloc(n * 2);
  if (fault === "silence") return pcm;
  const freq = 140 + ([...voice].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 160);
  for (let i = 0; i < n; i++) {
    // A syllable-like swell, so the level is speech-like rather than a flat tone.
    const envelope = 0.55 + 0.45 * Math.sin((2 * Math.PI * 4 * i) / sampleRate);
    pcm.writeInt16LE(Math.round(9000 * envelope * Math.sin((2 * Math.PI * freq * i) / sampleRate)), i * 2);
  }
  return pcm;
}

export function wavOf(pcm: Buffer, sampleRate: number): Buffer {
  const head = Buffer.alloc(44);
  head.write("RIFF", 0, "ascii");
  head.writeUInt32LE(36 + pcm.length, 4);
  head.write("WAVEfmt ", 8, "ascii");
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(sampleRate, 24);
  head.writeUInt32LE(sampleRate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write("data", 36, "ascii");
  head.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([head, pcm]);
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  /** The fault to play for this request, if any. */
  fault: TtsFault | undefined;
  record(r: Omit<RecordedRequest, "path" | "query" | "body" | "answered">): void;
}

async function startFake(opts: FakeOptions, handle: (x: Exchange, vendor: FakeVendor) => Promise<void> | void): Promise<FakeVendor> {
  const queued: (TtsFault | "ok")[] = [];
  let always: TtsFault | undefined;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, unknown> = {};
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "body is not JSON" } }));
      return;
    }
    const url = new URL(req.url ?? "/", "http://fake");
    const next = queued.shift();
    const fault = always ?? (next === "ok" ? undefined : next);
    const x: Exchange = {
      req,
      res,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      fault,
      record: (r) => vendor.requests.push({ ...r, path: url.pathname, query: Object.fromEntries(url.searchParams), body, answered: fault ?? "ok" }),
    };
    if (vendor.latencyMs) await new Promise((r) => setTimeout(r, vendor.latencyMs));
    if (fault === "hang") {
      x.record({ text: String(body.text ?? body.input ?? ""), voice: "", stream: false });
      return; // never answers; the socket is cut when the server closes
    }
    try {
      await handle(x, vendor);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const vendor: FakeVendor = {
    url: `http://127.0.0.1:${port}`,
    apiKey: opts.apiKey ?? "test-key-0123456789",
    requests: [],
    latencyMs: opts.latencyMs ?? 0,
    failNext: (fault, times = 1) => queued.push(...Array<TtsFault>(times).fill(fault)),
    answerNext: (...answers) => queued.push(...answers),
    failAlways: (fault) => void (always = fault),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return vendor;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** MiniMax T2A v2: POST /v1/t2a_v2, Bearer key, hex audio in data.audio, errors in base_resp. */
export function startFakeMinimax(opts: FakeOptions = {}): Promise<FakeVendor> {
  return startFake(opts, async (x, vendor) => {
    const { body, res, fault } = x;
    const voiceSetting = (body.voice_setting ?? {}) as { voice_id?: string };
    const audioSetting = (body.audio_setting ?? {}) as { sample_rate?: number; format?: string; channel?: number };
    const text = String(body.text ?? "");
    const voice = String(voiceSetting.voice_id ?? "");
    const stream = body.stream === true;
    x.record({ text, voice, stream });
    const fail = (code: number, msg: string) => json(res, 200, { base_resp: { status_code: code, status_msg: msg } });
    if (x.path !== "/v1/t2a_v2" || x.req.method !== "POST") return json(res, 404, { base_resp: { status_code: 404, status_msg: "not found" } });
    if (fault === "500") return json(res, 500, { base_resp: { status_code: 1000, status_msg: "unknown error" } });
    if (fault === "429") return json(res, 429, { base_resp: { status_code: 1002, status_msg: "rate limit" } });
    if (fault === "base_resp") return fail(1013, "internal service error");
    if (fault === "auth" || x.req.headers.authorization !== `Bearer ${vendor.apiKey}`) return fail(1004, "authentication failed");
    if (!body.model || !text || !voice) return fail(2013, "invalid params: model, text and voice_setting.voice_id are required");
    const format = audioSetting.format ?? "mp3";
    if (format !== "pcm" && format !== "wav") return fail(2013, `this fake only speaks pcm and wav, not ${format}`);
    if (stream && format === "wav") return fail(2013, "wav is not supported in streaming mode");
    const rate = audioSetting.sample_rate ?? 32000;
    const pcm = fakeSpeech(text, voice, rate, fault);
    const extra = { audio_length: Math.round((pcm.length / 2 / rate) * 1000), audio_sample_rate: rate, audio_size: pcm.length, usage_characters: [...text].length, audio_format: format, audio_channel: 1 };
    const ok = { status_code: 0, status_msg: "success" };
    if (!stream) {
      const audio = (format === "wav" ? wavOf(pcm, rate) : pcm).toString("hex");
      return json(res, 200, { data: { audio, status: 2 }, extra_info: extra, trace_id: "fake-trace", base_resp: ok });
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const step = Math.round(rate * 0.2) * 2; // 200 ms of audio per event
    for (let at = 0; at < pcm.length; at += step) {
      res.write(`data: ${JSON.stringify({ data: { audio: pcm.subarray(at, at + step).toString("hex"), status: 1 }, trace_id: "fake-trace", base_resp: ok })}\n\n`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const exclude = (body.stream_options as { exclude_aggregated_audio?: boolean } | undefined)?.exclude_aggregated_audio === true;
    res.end(`data: ${JSON.stringify({ data: { audio: exclude ? "" : pcm.toString("hex"), status: 2 }, extra_info: extra, trace_id: "fake-trace", base_resp: ok })}\n\n`);
  });
}

/** ElevenLabs: POST /v1/text-to-speech/{voice_id}[/stream]?output_format=pcm_N, xi-api-key header, raw PCM body. */
export function startFakeElevenLabs(opts: FakeOptions = {}): Promise<FakeVendor> {
  return startFake(opts, async (x, vendor) => {
    const { body, res, fault } = x;
    const m = /^\/v1\/text-to-speech\/([^/]+)(\/stream)?$/.exec(x.path);
    const text = String(body.text ?? "");
    const voice = m ? decodeURIComponent(m[1]) : "";
    x.record({ text, voice, stream: !!m?.[2] });
    const detail = (status: number, s: string, message: string) => json(res, status, { detail: { status: s, message } });
    if (!m || x.req.method !== "POST") return detail(404, "not_found", "no such endpoint");
    if (fault === "500") return detail(500, "internal_error", "An internal error occurred");
    if (fault === "429" || fault === "base_resp") return detail(429, "too_many_concurrent_requests", "Too many concurrent requests");
    if (fault === "auth" || x.req.headers["xi-api-key"] !== vendor.apiKey) return detail(401, "invalid_api_key", "Invalid API key");
    if (!text) return detail(422, "invalid_request", "text is required");
    const format = /^pcm_(\d+)$/.exec(x.query.output_format ?? "mp3_44100_128");
    if (!format) return detail(422, "invalid_output_format", "this fake only speaks pcm_* output formats");
    const pcm = fakeSpeech(text, voice, Number(format[1]), fault);
    res.writeHead(200, { "content-type": "audio/pcm" });
    if (!m[2]) return void res.end(pcm);
    const step = 4801; // odd on purpose: sample-straddling chunks, as a real network splits them
    for (let at = 0; at < pcm.length; at += step) {
      res.write(pcm.subarray(at, at + step));
      await new Promise((r) => setTimeout(r, 5));
    }
    res.end();
  });
}

/** OpenAI: POST /v1/audio/speech {model, input, voice, response_format}, Bearer key; pcm is raw 24 kHz. */
export function startFakeOpenAi(opts: FakeOptions = {}): Promise<FakeVendor> {
  return startFake(opts, async (x, vendor) => {
    const { body, res, fault } = x;
    const text = String(body.input ?? "");
    const voice = String(body.voice ?? "");
    x.record({ text, voice, stream: false });
    const error = (status: number, type: string, message: string, code?: string) => json(res, status, { error: { message, type, param: null, code: code ?? null } });
    if (x.path !== "/v1/audio/speech" || x.req.method !== "POST") return error(404, "invalid_request_error", "Unknown request URL");
    if (fault === "500") return error(500, "server_error", "The server had an error while processing your request.");
    if (fault === "429" || fault === "base_resp") return error(429, "requests", "Rate limit reached for requests", "rate_limit_exceeded");
    if (fault === "auth" || x.req.headers.authorization !== `Bearer ${vendor.apiKey}`) return error(401, "invalid_request_error", "Incorrect API key provided.", "invalid_api_key");
    if (!body.model || !text || !voice) return error(400, "invalid_request_error", "model, input and voice are required");
    if (text.length > 4096) return error(400, "invalid_request_error", "input is longer than 4096 characters");
    const format = String(body.response_format ?? "mp3");
    if (format !== "pcm" && format !== "wav") return error(400, "invalid_request_error", `this fake only speaks pcm and wav, not ${format}`);
    const pcm = fakeSpeech(text, voice, 24_000, fault);
    res.writeHead(200, { "content-type": format === "wav" ? "audio/wav" : "audio/pcm" }).end(format === "wav" ? wavOf(pcm, 24_000) : pcm);
  });
}

export interface TtsFakes {
  minimax: FakeVendor;
  elevenlabs: FakeVendor;
  openai: FakeVendor;
  close(): Promise<void>;
}

export async function startTtsFakes(opts: FakeOptions = {}): Promise<TtsFakes> {
  const [minimax, elevenlabs, openai] = await Promise.all([startFakeMinimax(opts), startFakeElevenLabs(opts), startFakeOpenAi(opts)]);
  return {
    minimax,
    elevenlabs,
    openai,
    close: async () => void (await Promise.all([minimax.close(), elevenlabs.close(), openai.close()])),
  };
}
