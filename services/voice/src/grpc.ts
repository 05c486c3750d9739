// gRPC Voice.Synthesize: audio chunks streamed as they are produced. The first sentence is
// synthesised on its own, so the first chunk arrives while the rest is still being made.
import { once } from "node:events";
import { status, type ServerErrorResponse } from "@grpc/grpc-js";
import { PERSONAS, type Persona } from "@newsroom/platform/config/schema";
import type { Logger } from "@newsroom/platform/log";
import type { SynthesizeRequest, VoiceServiceServer } from "@newsroom/proto/voice";
import { speechLanguage } from "./roles/anchor.js";
import { pcmToBuffer } from "./pcm.js";
import { VoiceChainExhaustedError, type Synthesizer } from "./speech/synthesizer.js";

export interface VoiceGrpcDeps {
  tts: Synthesizer;
  log?: Logger;
}

/** Longest text one request may carry; longer scripts are voiced through the bus. */
export const MAX_REQUEST_CHARS = 10_000;

export function voiceServiceImpl(deps: VoiceGrpcDeps): VoiceServiceServer {
  return {
    synthesize(call) {
      const fail = (code: status, details: string) => call.emit("error", { code, details } satisfies Partial<ServerErrorResponse>);
      const problem = invalid(call.request);
      if (problem) return void fail(status.INVALID_ARGUMENT, problem);
      const { text, persona } = call.request;
      const language = speechLanguage(call.request.language, text);
      const abort = new AbortController();
      call.on("cancelled", () => abort.abort());

      void (async () => {
        try {
          for await (const chunk of deps.tts.synthesizeStream(text, { persona: persona as Persona, language, signal: abort.signal })) {
            if (abort.signal.aborted) return;
            const ok = call.write({ seq: chunk.seq, pcm: pcmToBuffer(chunk.pcm), sampleRate: chunk.sampleRate, provider: chunk.provider, voice: chunk.voice, last: chunk.last });
            if (!ok) await once(call, "drain", { signal: abort.signal });
          }
          call.end();
        } catch (err) {
          if (abort.signal.aborted) return;
          deps.log?.warn("Voice.Synthesize failed", { error: (err as Error).message });
          fail(err instanceof VoiceChainExhaustedError ? status.UNAVAILABLE : status.INTERNAL, (err as Error).message);
        }
      })();
    },
  };
}

function invalid(req: SynthesizeRequest): string | undefined {
  if (!req.text.trim()) return "text is empty";
  if ([...req.text].length > MAX_REQUEST_CHARS) return `text is longer than ${MAX_REQUEST_CHARS} characters`;
  if (!PERSONAS.includes(req.persona as Persona)) return `persona must be one of ${PERSONAS.join(", ")}; got "${req.persona}"`;
  if (req.language && req.language !== "zh" && req.language !== "en") return `language must be "zh" or "en" (or empty to detect it); got "${req.language}"`;
  return undefined;
}
