// Shared plumbing of the HTTP vendors: the API root, the key from the environment, one POST
// with errors classified (retry or not), and the SSE `data:` lines of a streamed reply.
import { redact, registerSecret } from "@newsroom/platform/log";
import { concatPcm, pcmFromBytes, type Audio } from "../pcm.js";
import { TtsError } from "./types.js";
import { retryableStatus } from "@newsroom/platform/resilience/policy";

// The one rule for both routers (platform/src/resilience/policy.ts); the speech vendors import it from here.
export { retryableStatus };

/** `base_url` with `/v1` once at the end, whether or not the config wrote it. */
export function apiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

/** A secret named in config, read from the environment; registered so no log line can carry it. */
export function envSecret(vendor: string, env: NodeJS.ProcessEnv, name: string | undefined, what = "API key"): string {
  if (!name) throw new TtsError(`${vendor}: no ${what} configured (set api_key_env in tts_providers.${vendor})`, false, "refused");
  const value = env[name];
  if (!value) throw new TtsError(`${vendor}: environment variable ${name} (${what}) is not set`, false, "refused");
  registerSecret(value);
  return value;
}

export async function postJson(vendor: string, url: string, headers: Record<string, string>, body: unknown, signal: AbortSignal): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body), signal });
  } catch (err) {
    throw transportError(vendor, err, signal);
  }
  if (!res.ok) {
    const text = await res.text().catch(() => "");
    throw new TtsError(`${vendor}: HTTP ${res.status} ${vendorMessage(text)}`.trim(), retryableStatus(res.status), res.status === 401 || res.status === 403 ? "refused" : "error", res.status);
  }
  return res;
}

/** A failure before or while reading a reply: a timeout, a cancellation or a broken connection. */
export function transportError(vendor: string, err: unknown, signal: AbortSignal): TtsError {
  if (signal.aborted) return abortError(vendor, signal);
  const cause = (err as { cause?: { code?: string } }).cause?.code;
  return new TtsError(`${vendor}: connection failed${cause ? ` (${cause})` : ""}: ${(err as Error).message}`, true);
}

/** Why an aborted request stopped: its timeout (worth retrying) or the caller cancelling. */
export function abortError(vendor: string, signal: AbortSignal): TtsError {
  const timedOut = (signal.reason as Error | undefined)?.name === "TimeoutError";
  return new TtsError(`${vendor}: ${timedOut ? "timed out" : "request cancelled"}`, timedOut, timedOut ? "timeout" : "error");
}

/** The useful part of a vendor's error body, short and with any registered secret masked. */
export function vendorMessage(text: string): string {
  let msg = text;
  try {
    const j = JSON.parse(text) as { detail?: { message?: string; status?: string } | string; error?: { message?: string }; base_resp?: { status_msg?: string } };
    msg = (typeof j.detail === "string" ? j.detail : j.detail?.message ?? j.detail?.status) ?? j.error?.message ?? j.base_resp?.status_msg ?? text;
  } catch {
    // not JSON: keep the text
  }
  return redact(msg.replace(/\s+/g, " ").slice(0, 200));
}

/** Body chunks as they arrive, with a broken stream reported as a TtsError. */
export async function* bodyChunks(vendor: string, res: Response, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  if (!res.body) return;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) yield chunk;
  } catch (err) {
    throw transportError(vendor, err, signal);
  }
}

/** The `data:` payloads of a server-sent-events body, one per event. */
export async function* sseData(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
      const data = event
        .split(/\r?\n/)
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).replace(/^ /, ""))
        .join("\n");
      if (data) yield data;
    }
  }
  const rest = buffer.trim();
  if (rest.startsWith("data:")) yield rest.slice(5).trim();
}

/** A raw 16-bit PCM body arriving in pieces of any size, as whole samples. */
export async function* pcmStream(vendor: string, res: Response, signal: AbortSignal, sampleRate: number): AsyncGenerator<Audio> {
  let carry: Uint8Array = new Uint8Array(0);
  for await (const chunk of bodyChunks(vendor, res, signal)) {
    const all = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = all.length & ~1;
    carry = all.subarray(whole);
    if (whole) yield { pcm: pcmFromBytes(all.subarray(0, whole)), sampleRate };
  }
}

/** The whole of a raw 16-bit PCM body. */
export async function pcmBody(vendor: string, res: Response, signal: AbortSignal, sampleRate: number): Promise<Audio> {
  const parts: Int16Array[] = [];
  for await (const a of pcmStream(vendor, res, signal, sampleRate)) parts.push(a.pcm);
  return { pcm: concatPcm(parts), sampleRate };
}
