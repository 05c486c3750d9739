// Competing consumers: three voice processes on one durable consumer, real NATS and Postgres,
// share 30 approved scripts. Every script is voiced once (one TTS request per line, one
// segment row per line), all 30 are done, and more than one process did work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectJetStream } from "@newsroom/platform/bus/jetstream";
import type { Bus } from "@newsroom/platform/bus/types";
import type { Db } from "@newsroom/platform/db/connect";
import { decodeEvent } from "@newsroom/platform/events";
import { deleteStream, waitFor } from "../bus/harness.js";
import { startFakeMinimax, type FakeVendor } from "../fakes/tts-servers.js";
import { freshPostgres, need, NATS_URL, uniqueBusNames } from "../support/services.js";
import { publishApproved, startVoiceReplicas, type Replicas } from "./replicas.js";
import { seedScript } from "./seed.js";

const SCRIPTS = 30;
const ready = (await need("postgres")) && (await need("nats"));

describe.skipIf(!ready)("three voice replicas on one durable consumer", () => {
  let pg: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Db;
  let bus: Bus;
  let vendor: FakeVendor;
  let replicas: Replicas | undefined;
  const names = uniqueBusNames();
  const scripts = Array.from({ length: SCRIPTS }, (_, i) => ({ editionId: "ed-replicas", storyId: `st-${i}`, scriptId: `sc-${i}` }));

  beforeAll(async () => {
    pg = await freshPostgres();
    db = pg.db;
    // A little latency per request, so work overlaps and every replica gets some.
    vendor = await startFakeMinimax({ latencyMs: 60 });
    for (const s of scripts)
      await seedScript(db, {
        ...s,
        lines: [
          { speaker: "anchor_a", text: `第${s.storyId.slice(3)}条新闻的第一句话。` },
          { speaker: "anchor_b", text: "这是第二位主播的回应。" },
        ],
      });
    bus = await connectJetStream({ url: NATS_URL, prefix: names.prefix, stream: names.stream, name: "replicas-test" });
    replicas = await startVoiceReplicas(3, {
      DATABASE_URL: pg.url,
      NATS_URL,
      BUS_PREFIX: names.prefix,
      BUS_STREAM: names.stream,
      FAKE_MINIMAX_URL: vendor.url,
      MM_KEY: vendor.apiKey,
    });
  }, 120_000);

  afterAll(async () => {
    await replicas?.stop();
    await bus?.close();
    await deleteStream(names.stream);
    await vendor?.close();
    await pg?.drop();
  }, 60_000);

  it("voices all 30 scripts, none twice, with the work shared", async () => {
    await publishApproved(bus, scripts);
    const voicedScripts = async () =>
      (await db.selectFrom("segments").select("script_id").distinct().execute()).length;
    await waitFor("all 30 scripts voiced", async () => (await voicedScripts()) === SCRIPTS, 120_000);
    // Let any stray duplicate delivery finish before counting.
    await waitFor("every replica idle", async () => replicas!.handled.flat().length >= SCRIPTS, 30_000);

    const segments = await db.selectFrom("segments").select(["script_id", "seq", "provider"]).execute();
    expect(segments).toHaveLength(SCRIPTS * 2);
    for (const s of scripts) expect(segments.filter((g) => g.script_id === s.scriptId).map((g) => g.seq).sort()).toEqual([0, 1]);
    // One TTS request per line: nothing was voiced twice.
    expect(vendor.requests).toHaveLength(SCRIPTS * 2);
    expect(new Set(vendor.requests.map((r) => r.text)).size).toBe(SCRIPTS + 1);

    const voiced = (await db.selectFrom("outbox").select("payload").where("subject", "=", "segment.voiced").execute()).map((r) =>
      decodeEvent("segment.voiced", r.payload),
    );
    expect(voiced.map((e) => e.scriptId).sort()).toEqual(scripts.map((s) => s.scriptId).sort());
    const stories = await db.selectFrom("stories").select("status").execute();
    expect(stories.every((s) => s.status === "voiced")).toBe(true);

    const perReplica = replicas!.handled.map((h) => h.length);
    expect(perReplica.reduce((a, b) => a + b, 0)).toBe(SCRIPTS);
    expect(perReplica.filter((n) => n > 0).length).toBeGreaterThan(1);
  }, 180_000);
});
