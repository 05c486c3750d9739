// Competing consumers: three voice processes on one durable consumer, real NATS and Postgres,
// share 30 approved scripts. Every script is voiced once (one TTS request per line, one
// segment row per line), all 30 are done, and more than one process did work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeEvent } from "@newsroom/platform/events";
import { waitFor } from "../bus/harness.js";
import { need } from "../support/services.js";
import { publishApproved, startVoiceCluster, type VoiceCluster } from "./replicas.js";

const SCRIPTS = 30;
const ready = (await need("postgres")) && (await need("nats"));

describe.skipIf(!ready)("three voice replicas on one durable consumer", () => {
  let cluster: VoiceCluster;

  beforeAll(async () => {
    // A little latency per request, so work overlaps and every replica gets some.
    cluster = await startVoiceCluster({ replicas: 3, scripts: SCRIPTS, vendorLatencyMs: 60 });
  }, 120_000);

  afterAll(() => cluster?.dispose(), 60_000);

  it("voices all 30 scripts, none twice, with the work shared", async () => {
    const { db, bus, vendor, scripts, replicas } = cluster;
    await publishApproved(bus, scripts);
    const voicedScripts = async () => (await db.selectFrom("segments").select("script_id").distinct().execute()).length;
    await waitFor("all 30 scripts voiced", async () => (await voicedScripts()) === SCRIPTS, 120_000);
    // Let the last handlers report before counting.
    await waitFor("every replica idle", async () => replicas.handled.flat().length >= SCRIPTS, 30_000);

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

    const perReplica = replicas.handled.map((h) => h.length);
    expect(perReplica.reduce((a, b) => a + b, 0)).toBe(SCRIPTS);
    expect(perReplica.filter((n) => n > 0).length).toBeGreaterThan(1);
  }, 180_000);
});
