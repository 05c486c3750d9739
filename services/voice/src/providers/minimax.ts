// MiniMax T2A v2: POST {base}/v1/t2a_v2[?GroupId=...], Bearer key. Audio comes back hex-encoded
// in data.audio; errors sit in base_resp.status_code (non-zero) even with HTTP 200. The
// streaming variant answers with SSE events carrying hex PCM pieces (data.status 1, then 2).
import type { TtsProviderConfig } from "@newsroom/platform/config/schema";
import { parseWav, pcmFromBytes, type Audio } from "../pcm.js";
import { apiRoot, bodyChunks, envSecret, postJson, sseData } from "./http.js";
import { engineBasics, TtsError, type SpeechRequest, type TtsEngine } from "./types.js";

const SAMPLE_RATE = 24_000;
/** base_resp codes worth asking again: unknown, timeout, rate limits, internal errors. */
const RETRYABLE_CODES = new Set([1000, 1001, 1002, 1013, 1024, 1033, 1039, 1041]);

interface MinimaxReply {
  data?: { audio?: string; status?: number } | null;
  extra_info?: { audio_sample_rate?: number };
  base_resp?: { status_code?: number; status_msg?: string };
}

export function createMinimaxEngine(name: string, config: TtsProviderConfig, env: NodeJS.ProcessEnv): TtsEngine {
  const { model } = engineBasics(name, "minimax", config);
  const endpoint = () => {
    const groupId = config.group_id_env ? env[config.group_id_env] : undefined;
    return `${apiRoot(config.base_url!)}/t2a_v2${groupId ? `?GroupId=${encodeURIComponent(groupId)}` : ""}`;
  };
  const body = (req: SpeechRequest, stream: boolean) => ({
    model,
    text: req.text,
    stream,
    ...(stream ? { stream_options: { exclude_aggregated_audio: true } } : {}),
    voice_setting: { voice_id: req.voice, speed: 1, vol: 1, pitch: 0 },
    // WAV describes itself; streaming only offers raw PCM.
    audio_setting: { sample_rate: SAMPLE_RATE, format: stream ? "pcm" : "wav", channel: 1 },
    language_boost: req.language === "zh" ? "Chinese" : "English",
  });
  const auth = () => ({ authorization: `Bearer ${envSecret(name, env, config.api_key_env)}` });

  return {
    ...engineBasics(name, "minimax", config),
    async synthesize(req) {
      const res = await postJson(name, endpoint(), auth(), body(req, false), req.signal);
      const reply = (await res.json().catch(() => ({}))) as MinimaxReply;
      checkBaseResp(name, reply);
      if (!reply.data?.audio) throw new TtsError(`${name}: reply has no data.audio`, true, "invalid");
      return decodeAudio(reply.data.audio, reply.extra_info?.audio_sample_rate ?? SAMPLE_RATE);
    },
    async *stream(req) {
      const res = await postJson(name, endpoint(), { ...auth(), accept: "text/event-stream" }, body(req, true), req.signal);
      if (!(res.headers.get("content-type") ?? "").includes("event-stream")) {
        // An error (or a whole answer) as plain JSON instead of events.
        const reply = (await res.json().catch(() => ({}))) as MinimaxReply;
        checkBaseResp(name, reply);
        if (reply.data?.audio) yield decodeAudio(reply.data.audio, SAMPLE_RATE);
        return;
      }
      let received = 0;
      for await (const data of sseData(bodyChunks(name, res, req.signal))) {
        let event: MinimaxReply;
        try {
          event = JSON.parse(data) as MinimaxReply;
        } catch {
          throw new TtsError(`${name}: unreadable stream event`, true, "invalid");
        }
        checkBaseResp(name, event);
        const hex = event.data?.audio;
        if (!hex) continue;
        // The closing event repeats the whole audio unless the aggregate was excluded; skip it.
        if (event.data?.status === 2 && received > 0 && hex.length / 2 === received) continue;
        received += hex.length / 2;
        yield decodeAudio(hex, SAMPLE_RATE);
      }
    },
  };
}

function checkBaseResp(name: string, reply: MinimaxReply): void {
  const code = reply.base_resp?.status_code ?? 0;
  if (code !== 0) {
    const outcome = code === 1004 || code === 2049 || code === 1008 ? "refused" : "error";
    throw new TtsError(`${name}: base_resp ${code} ${reply.base_resp?.status_msg ?? ""}`.trim(), RETRYABLE_CODES.has(code), outcome);
  }
}

function decodeAudio(hex: string, sampleRate: number): Audio {
  const bytes = Buffer.from(hex, "hex");
  return bytes.subarray(0, 4).toString("latin1") === "RIFF" ? parseWav(bytes) : { pcm: pcmFromBytes(bytes), sampleRate };
}
