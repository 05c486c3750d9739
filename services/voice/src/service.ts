// The voice service: anchor_a and anchor_b. One TTS router per process serves both the
// script.approved handler and the gRPC Voice.Synthesize stream; the local engine is warmed
// at start and the router closed at shutdown.
import type { ServiceDeps, ServiceSpec } from "@newsroom/platform/service/spec";
import { VoiceServiceService } from "@newsroom/proto/voice";
import { voiceServiceImpl } from "./grpc.js";
import { voiceHandlers } from "./roles/anchor.js";
import { createTtsRouter, type TtsRouter } from "./router.js";

const routers = new WeakMap<ServiceDeps, TtsRouter>();

function ttsRouter(deps: ServiceDeps): TtsRouter {
  let tts = routers.get(deps);
  if (!tts) routers.set(deps, (tts = createTtsRouter({ config: deps.config, db: deps.db, log: deps.log.child("tts") })));
  return tts;
}

export const voice: ServiceSpec<"voice"> = {
  name: "voice",
  handlers: (deps) => voiceHandlers({ config: deps.config, tts: ttsRouter(deps), log: deps.log.child("voice") }),
  grpc: (deps) => [{ definition: VoiceServiceService, implementation: voiceServiceImpl({ tts: ttsRouter(deps), log: deps.log.child("voice.grpc") }) }],
  background: async (deps) => {
    const tts = ttsRouter(deps);
    await tts.warm();
    return { stop: () => tts.close() };
  },
};
