// A newsroom config for voice tests: only the TTS part matters; the model roles are the
// offline provider (single camp allowed, since no model is called here).
import { parseConfig, type LoadedConfig } from "@newsroom/platform/config/load";

export function voiceConfig(ttsYaml: string, extra = ""): LoadedConfig {
  return parseConfig(
    `
feeds: [{ url: "https://example.com/feed.xml" }]
providers: { offline: { kind: offline, camp: local } }
roles: { default: [offline/extractive] }
allow_single_camp: true
${ttsYaml}
${extra}
`,
    "/tmp/voice-test.yaml",
    {},
  );
}
