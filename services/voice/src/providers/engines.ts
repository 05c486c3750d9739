// One engine per configured TTS provider, by kind.
import type { TtsProviderConfig } from "@newsroom/platform/config/schema";
import { createElevenLabsEngine } from "./elevenlabs.js";
import { createLocalEngine } from "./local.js";
import { createMinimaxEngine } from "./minimax.js";
import { createOpenAiEngine } from "./openai.js";
import type { TtsEngine } from "./types.js";

export function createEngine(name: string, config: TtsProviderConfig, env: NodeJS.ProcessEnv): TtsEngine {
  switch (config.kind) {
    case "minimax":
      return createMinimaxEngine(name, config, env);
    case "elevenlabs":
      return createElevenLabsEngine(name, config, env);
    case "openai":
      return createOpenAiEngine(name, config, env);
    case "local":
      return createLocalEngine(name, config);
  }
}
