// anchor_a and anchor_b (services/voice/src/roles/anchor.ts): the script.approved handler as a
// plain function on PGlite with vendor fakes: segments, story status and the segment.voiced event
// in one commit; no second voicing; one voice per persona per story (per language chain in a
// bilingual edition) even when a vendor fails mid-story; cut-off and silent audio never stored.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PermanentError } from "@newsroom/platform/bus/types";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import { decodeEvent, ScriptKind, type EventOf } from "@newsroom/platform/events";
import type { Registration } from "@newsroom/platform/handler";
import { createHandlerContext } from "@newsroom/platform/runner/context";
import { SILENCE_RMS } from "@newsroom/voice/completeness";
import { voiceHandlers } from "@newsroom/voice/roles/anchor";
import { createSynthesizer, type Synthesizer } from "@newsroom/voice/speech/synthesizer";
import { pcmFromBytes, rms } from "@newsroom/voice/pcm";
import { startTtsFakes, type TtsFakes } from "../fakes/tts-servers.js";
import { freshPglite } from "../support/services.js";
import { voiceConfig } from "./config.js";
import { seedScript } from "./seed.js";

let fakes: TtsFakes;
let db: Db;
let config: LoadedConfig;
let tts: Synthesizer;
let handler: Registration<"script.approved">;
let n = 0;

const DIALOGUE = [
  { speaker: "anchor_a" as const, text: "央行周二宣布维持利率不变。" },
  { speaker: "anchor_b" as const, text: "这一决定符合市场预期。" },
  { speaker: "anchor_a" as const, text: "分析人士认为，通胀压力有所缓解。" },
  { speaker: "anchor_b" as const, text: "股市随后小幅上涨了0.5%。" },
];

beforeAll(async () => {
  fakes = await startTtsFakes();
  db = await freshPglite();
  config = voiceConfig(`
tts_providers:
  minimax: { kind: minimax, base_url: "${fakes.minimax.url}", api_key_env: MM_KEY, max_retries: 1, price_per_mchar: 30 }
  eleven: { kind: elevenlabs, base_url: "${fakes.elevenlabs.url}", api_key_env: EL_KEY, max_retries: 1 }
  openai: { kind: openai, base_url: "${fakes.openai.url}", api_key_env: OA_KEY, max_retries: 0 }
voices:
  anchor_a: ["minimax/female-shaonv", "eleven/anchor-a-el"]
  anchor_b: ["minimax/male-qn-qingse", "openai/onyx"]
`);
}, 120_000);
afterAll(async () => {
  await fakes.close();
  await db.destroy();
});
beforeEach(() => {
  for (const v of [fakes.minimax, fakes.elevenlabs, fakes.openai]) {
    v.failAlways(undefined);
    v.requests.length = 0;
  }
  const env = { MM_KEY: fakes.minimax.apiKey, EL_KEY: fakes.elevenlabs.apiKey, OA_KEY: fakes.openai.apiKey };
  tts = createSynthesizer({ config, db, env, retryDelayMs: 5 });
  [handler] = voiceHandlers({ config, tts });
});
afterEach(() => tts.close());

/** A fresh edition/story/script and its script.approved event. */
async function approved(lines = DIALOGUE, language: "zh" | "en" | "bilingual" = "zh") {
  const id = `t${++n}`;
  await seedScript(db, { editionId: `ed-${id}`, storyId: `st-${id}`, scriptId: `sc-${id}`, language, lines });
  const event: EventOf<"script.approved"> = {
    meta: { editionId: `ed-${id}`, storyId: `st-${id}`, idempotencyKey: `approved:sc-${id}`, occurredAt: new Date() },
    scriptId: `sc-${id}`,
    version: 1,
    kind: ScriptKind.SCRIPT_KIND_STORY,
  };
  return { id, event };
}

async function run(event: EventOf<"script.approved">, key = event.meta!.idempotencyKey) {
  const ctx = createHandlerContext({ db, consumer: handler.consumer, meta: { ...event.meta!, idempotencyKey: key } });
  await handler.handle(event, ctx);
  await ctx.finish();
}

const segments = (scriptId: string) => db.selectFrom("segments").selectAll().where("script_id", "=", scriptId).orderBy("seq").execute();

describe("script.approved", () => {
  it("voices every line into segments 0..n, marks the story voiced and emits segment.voiced in one commit", async () => {
    const { id, event } = await approved();
    await run(event);
    const segs = await segments(`sc-${id}`);
    expect(segs.map((s) => [s.seq, s.speaker, s.provider, s.voice])).toEqual([
      [0, "anchor_a", "minimax", "female-shaonv"],
      [1, "anchor_b", "minimax", "male-qn-qingse"],
      [2, "anchor_a", "minimax", "female-shaonv"],
      [3, "anchor_b", "minimax", "male-qn-qingse"],
    ]);
    for (const s of segs) {
      expect(s.duration_ms).toBe(Math.round((s.pcm.length / 2 / s.sample_rate) * 1000));
      expect(s.duration_ms).toBeGreaterThan(0.6 * s.expected_ms);
    }
    expect(fakes.minimax.requests.at(-1)!.text).toBe("股市随后小幅上涨了百分之零点五。");
    expect(segs[3].text).toBe("股市随后小幅上涨了0.5%。");
    const story = await db.selectFrom("stories").select("status").where("id", "=", `st-${id}`).executeTakeFirstOrThrow();
    expect(story.status).toBe("voiced");
    const out = await db.selectFrom("outbox").selectAll().where("subject", "=", "segment.voiced").execute();
    const mine = out.map((r) => decodeEvent("segment.voiced", r.payload)).filter((e) => e.scriptId === `sc-${id}`);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ segmentCount: 4, durationMs: segs.reduce((t, s) => t + s.duration_ms, 0) });
    expect(mine[0].meta).toMatchObject({ editionId: `ed-${id}`, storyId: `st-${id}`, idempotencyKey: `voiced:sc-${id}` });
  });

  it("a duplicate of the event voices nothing again", async () => {
    const { id, event } = await approved();
    await run(event);
    const before = fakes.minimax.requests.length;
    const first = await segments(`sc-${id}`);
    await run(event, "another-key-for-the-same-script");
    expect(fakes.minimax.requests.length).toBe(before);
    const after = await segments(`sc-${id}`);
    expect(after.map((s) => s.id)).toEqual(first.map((s) => s.id));
  });

  it("never switches a persona's voice mid-story: earlier lines are redone on the fallback voice", async () => {
    const { id, event } = await approved();
    // Lines 0 and 1 succeed; from line 2 on, MiniMax fails anchor_a (both tries), then recovers.
    fakes.minimax.answerNext("ok", "ok", "500", "500");
    await run(event);
    const segs = await segments(`sc-${id}`);
    const voiceOf = (speaker: string) => new Set(segs.filter((s) => s.speaker === speaker).map((s) => `${s.provider}/${s.voice}`));
    expect(voiceOf("anchor_a")).toEqual(new Set(["eleven/anchor-a-el"]));
    expect(voiceOf("anchor_b")).toEqual(new Set(["minimax/male-qn-qingse"]));
    // Line 0 was made twice: once on MiniMax, once again on the fallback voice.
    expect(segs[0].attempts).toBe(2);
    expect(fakes.elevenlabs.requests.map((r) => r.text)).toEqual(["分析人士认为，通胀压力有所缓解。", "央行周二宣布维持利率不变。"]);
  });

  it("catches a cut-off line and stores the redone audio", async () => {
    const { id, event } = await approved();
    fakes.minimax.failNext("truncate");
    await run(event);
    const segs = await segments(`sc-${id}`);
    expect(segs[0]).toMatchObject({ provider: "minimax", attempts: 2 });
    expect(segs[0].duration_ms).toBeGreaterThan(0.6 * segs[0].expected_ms);
    const cut = await db.selectFrom("model_calls").selectAll().where("edition_id", "=", `ed-${id}`).where("outcome", "=", "truncated").execute();
    expect(cut).toHaveLength(1);
  });

  it("stores no silent segment", async () => {
    const { id, event } = await approved();
    fakes.minimax.failAlways("silence");
    await run(event);
    const segs = await segments(`sc-${id}`);
    expect(segs.map((s) => s.provider)).toEqual(["eleven", "openai", "eleven", "openai"]);
    for (const s of segs) expect(rms(pcmFromBytes(s.pcm))).toBeGreaterThan(SILENCE_RMS);
  });

  it("in a bilingual edition, voices each line on its persona's chain for the line's language and keeps one voice per chain", async () => {
    const bilingual = voiceConfig(`
tts_providers:
  minimax: { kind: minimax, base_url: "${fakes.minimax.url}", api_key_env: MM_KEY, max_retries: 1 }
  eleven: { kind: elevenlabs, base_url: "${fakes.elevenlabs.url}", api_key_env: EL_KEY, max_retries: 1 }
  openai: { kind: openai, base_url: "${fakes.openai.url}", api_key_env: OA_KEY, max_retries: 0 }
voices:
  anchor_a: { zh: ["minimax/female-shaonv"], en: ["eleven/anchor-a-el", "openai/alloy"] }
  anchor_b: ["minimax/male-qn-qingse"]
`);
    const env = { MM_KEY: fakes.minimax.apiKey, EL_KEY: fakes.elevenlabs.apiKey, OA_KEY: fakes.openai.apiKey };
    const own = createSynthesizer({ config: bilingual, db, env, retryDelayMs: 5 });
    const saved = handler;
    [handler] = voiceHandlers({ config: bilingual, tts: own });
    try {
      const lines = [
        { speaker: "anchor_a" as const, text: "央行周二宣布维持利率不变。" },
        { speaker: "anchor_a" as const, text: "The central bank held its rates on Tuesday." },
        { speaker: "anchor_b" as const, text: "Markets had expected the decision." },
        { speaker: "anchor_a" as const, text: "分析人士认为，通胀压力有所缓解。" },
        { speaker: "anchor_a" as const, text: "Analysts say price pressures have eased." },
      ];
      const { id, event } = await approved(lines, "bilingual");
      // ElevenLabs voices the first English line, then fails the second (both tries): English moves to OpenAI.
      fakes.elevenlabs.answerNext("ok", "500", "500");
      await run(event);
      const segs = await segments(`sc-${id}`);
      expect(segs.map((s) => `${s.speaker} ${s.provider}/${s.voice}`)).toEqual([
        "anchor_a minimax/female-shaonv",
        "anchor_a openai/alloy",
        "anchor_b minimax/male-qn-qingse",
        "anchor_a minimax/female-shaonv",
        "anchor_a openai/alloy",
      ]);
      // The first English line was redone on the fallback voice; the Chinese lines were not.
      expect(segs[1].attempts).toBe(2);
      expect(segs[0].attempts).toBe(1);
    } finally {
      handler = saved;
      await own.close();
    }
  });

  it("a missing script is a permanent error", async () => {
    const { event } = await approved();
    await expect(run({ ...event, scriptId: "no-such-script" }, "k-missing")).rejects.toBeInstanceOf(PermanentError);
  });
});
