// The voice service: anchor_a and anchor_b. One synthesizer per process serves both the
// script.approved handler and the gRPC Voice.Synthesize stream; the local engine is warmed
// at start and the synthesizer closed at shutdown.
import type { ServiceDeps, ServiceSpec } from "@newsroom/platform/service/spec";
import { VoiceServiceService } from "@newsroom/proto/voice";
import { voiceServiceImpl } from "./grpc.js";
import { voiceHandlers } from "./roles/anchor.js";
import { createSynthesizer, type Synthesizer } from "./speech/synthesizer.js";

const synthesizers = new WeakMap<ServiceDeps, Synthesizer>();

function synthesizer(deps: ServiceDeps): Synthesizer {
  let tts = synthesizers.get(deps);
  if (!tts) synthesizers.set(deps, (tts = createSynthesizer({ config: deps.config, db: deps.db, log: deps.log.child("tts") })));
  return tts;
}

export const voice: ServiceSpec<"voice"> = {
  name: "voice",
  handlers: (deps) => voiceHandlers({ config: deps.config, tts: synthesizer(deps), log: deps.log.child("voice") }),
  grpc: (deps) => [{ definition: VoiceServiceService, implementation: voiceServiceImpl({ tts: synthesizer(deps), log: deps.log.child("voice.grpc") }) }],
  background: async (deps) => {
    const tts = synthesizer(deps);
    await tts.warm();
    return { stop: () => tts.close() };
  },
};
