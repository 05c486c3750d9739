// Voice.Synthesize through a real grpc-js server and the generated client on 127.0.0.1.
import { credentials, Server, ServerCredentials, status, type ServiceError } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VoiceServiceClient, VoiceServiceService, type SynthesizeRequest, type SynthesizeResponse } from "@newsroom/proto/voice";
import { SILENCE_RMS } from "@newsroom/voice/completeness";
import { voiceServiceImpl } from "@newsroom/voice/grpc";
import { createSynthesizer, type Synthesizer } from "@newsroom/voice/speech/synthesizer";
import { pcmFromBytes, rms } from "@newsroom/voice/pcm";
import { startTtsFakes, type TtsFakes } from "../fakes/tts-servers.js";
import { voiceConfig } from "./config.js";

let fakes: TtsFakes;
let server: Server;
let client: VoiceServiceClient;
let tts: Synthesizer;

beforeAll(async () => {
  fakes = await startTtsFakes();
  const config = voiceConfig(`
tts_providers:
  minimax: { kind: minimax, base_url: "${fakes.minimax.url}", api_key_env: MM_KEY, max_retries: 0 }
  local: { kind: local }
voices:
  anchor_a: ["local/+f3"]
  anchor_b: ["minimax/male-qn-qingse", "local/+m3"]
`);
  tts = createSynthesizer({ config, env: { MM_KEY: fakes.minimax.apiKey }, retryDelayMs: 5 });
  await tts.warm();
  server = new Server();
  server.addService(VoiceServiceService, voiceServiceImpl({ tts }));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  client = new VoiceServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
}, 60_000);

afterAll(async () => {
  client?.close();
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  await tts.close();
  await fakes.close();
});

function call(req: Partial<SynthesizeRequest>, onFirst?: () => void): Promise<SynthesizeResponse[]> {
  return new Promise((resolve, reject) => {
    const got: SynthesizeResponse[] = [];
    const stream = client.synthesize({ text: "", persona: "anchor_a", language: "", ...req });
    stream.on("data", (r: SynthesizeResponse) => {
      if (!got.length) onFirst?.();
      got.push(r);
    });
    stream.on("error", reject);
    stream.on("end", () => resolve(got));
  });
}

describe("Voice.Synthesize", () => {
  it("speaks one sentence on the local engine", async () => {
    const got = await call({ text: "今天的新闻很重要。", persona: "anchor_a", language: "zh" });
    expect(got.length).toBeGreaterThan(0);
    expect(got.map((r) => r.seq)).toEqual(got.map((_, i) => i));
    expect(got.at(-1)!.last).toBe(true);
    expect(got.filter((r) => r.last)).toHaveLength(1);
    expect(got[0]).toMatchObject({ provider: "local", voice: "+f3", sampleRate: 22_050 });
    const pcm = pcmFromBytes(Buffer.concat(got.map((r) => Buffer.from(r.pcm))));
    expect(rms(pcm)).toBeGreaterThan(SILENCE_RMS);
    expect(pcm.length / 22_050).toBeGreaterThan(1);
  });

  it("streams the first sentence before the rest has been made", async () => {
    fakes.minimax.requests.length = 0;
    fakes.minimax.latencyMs = 300;
    let requestsAtFirstChunk = -1;
    const text = "Markets rose on Tuesday. Analysts said the rally could last into the summer, citing strong earnings.";
    const got = await call({ text, persona: "anchor_b", language: "en" }, () => (requestsAtFirstChunk = fakes.minimax.requests.length));
    fakes.minimax.latencyMs = 0;
    expect(fakes.minimax.requests.map((r) => r.text)).toEqual(["Markets rose on Tuesday.", "Analysts said the rally could last into the summer, citing strong earnings."]);
    // When the first audio reached the client, the vendor had answered only the first sentence.
    expect(requestsAtFirstChunk).toBe(1);
    expect(new Set(got.map((r) => r.provider))).toEqual(new Set(["minimax"]));
    expect(got.at(-1)!.last).toBe(true);
  });

  it("falls back on the persona's chain when its vendor is down", async () => {
    fakes.minimax.failAlways("500");
    const got = await call({ text: "Hello there.", persona: "anchor_b", language: "en" });
    fakes.minimax.failAlways(undefined);
    expect(new Set(got.map((r) => `${r.provider}/${r.voice}`))).toEqual(new Set(["local/+m3"]));
  });

  it("refuses bad requests with INVALID_ARGUMENT and a clear message", async () => {
    const bad = (req: Partial<SynthesizeRequest>) => call(req).then(() => undefined, (e: ServiceError) => e);
    const persona = await bad({ text: "Hi.", persona: "anchor_c" });
    expect(persona?.code).toBe(status.INVALID_ARGUMENT);
    expect(persona?.details).toBe('persona must be one of anchor_a, anchor_b; got "anchor_c"');
    const empty = await bad({ text: "  ", persona: "anchor_a" });
    expect(empty?.code).toBe(status.INVALID_ARGUMENT);
    expect(empty?.details).toBe("text is empty");
    expect((await bad({ text: "Hi.", language: "fr" }))?.code).toBe(status.INVALID_ARGUMENT);
  });
});
