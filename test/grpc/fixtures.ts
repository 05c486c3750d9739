// A valid config for edition and gRPC tests: an OpenAI-compatible provider (never called here)
// and the embedded offline provider, so chains span two camps.
import { parseConfig, type LoadedConfig } from "@newsroom/platform/config/load";

export const TEST_CONFIG_YAML = `
edition: {language: en, timezone: Asia/Shanghai, deadline_minutes: 20}
feeds: [{file: feed.xml}]
providers:
  offline: {kind: offline, camp: local}
  acme: {kind: openai, camp: us, base_url: "http://127.0.0.1:9/v1", api_key_env: ACME_API_KEY}
roles:
  default: [acme/m1, offline/extractive]
  deputy_editor: [offline/extractive, acme/m1]
  fact_checker: [offline/extractive, acme/m1]
  cross_reviewer: [offline/extractive, acme/m1]
  freshness_judge: [offline/extractive, acme/m1]
`;

export function testConfig(env: NodeJS.ProcessEnv = {}): LoadedConfig {
  return parseConfig(TEST_CONFIG_YAML, "/tmp/newsroom-test/newsroom.yaml", env);
}
