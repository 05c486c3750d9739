// No API key in any log line, span (attributes, events, status) or model_calls row, across
// the router's paths: success, retries, a provider that echoes the key back in its error,
// refusals, repairs, truncation, timeouts, an open breaker and an exhausted chain.
import { expect, it } from "vitest";
import { ledgerFor } from "@newsroom/platform/ledger/ledger";
import OpenAI from "openai";
import { behave } from "../fakes/openai-server.js";
import { GOOD_REVIEW, KEYS, makeConfig, memorySpans, reviewTask, routerHarness, scriptTask, STORY, testRouter } from "./support.js";

const h = routerHarness();
const spans = memorySpans();

const PLANTED = [KEYS.ALPHA_KEY, KEYS.BETA_KEY];

it("the planted keys are sent to providers but never logged, traced or stored", async () => {
  // A provider that answers 401 with the key in its message: the SDK's own error carries it.
  h.fake.setBehaviour("z-echo", behave.echoAuth(401));
  const raw = await new OpenAI({ baseURL: h.fake.url, apiKey: KEYS.ALPHA_KEY, maxRetries: 0 }).chat.completions
    .create({ model: "z-echo", messages: [{ role: "user", content: "hi" }] })
    .catch((e: Error) => e);
  expect(String((raw as Error).message)).toContain(KEYS.ALPHA_KEY);

  h.fake.setBehaviour("z-a", [behave.fail(500), behave.echoAuth(500), behave.ok("The bank held rates. Markets rose.")]);
  h.fake.setBehaviour("z-b", [behave.invalidJson(), behave.ok(JSON.stringify(GOOD_REVIEW))]);
  h.fake.setBehaviour("z-t", [behave.truncated("The central bank"), behave.ok(" kept rates unchanged.")]);
  h.fake.setBehaviour("z-r", behave.refusal());
  h.fake.setBehaviour("z-h", behave.hang());
  const cfg = makeConfig(
    h.fake.url,
    {
      default: ["alpha/z-a", "beta/z-b"],
      fact_checker: ["beta/z-b", "alpha/z-a"],
      translator: ["alpha/z-echo", "beta/z-t"],
      headline_editor: ["beta/z-r", "alpha/z-h", "offline/extractive"],
      arbiter: ["beta/z-echo", "alpha/z-r"],
    },
    { providers: { alpha: { timeout_ms: 200 } } },
  );
  const { router, logLines } = testRouter(cfg, h.db, { env: { ...KEYS, NEWSROOM_TRACE_CONTENT: "true" }, breaker: { threshold: 3, halfOpenAfterMs: 60_000 } });
  const editionId = "ed-secrets";
  const errors: unknown[] = [];
  const task = (role: "translator" | "headline_editor" | "arbiter") => ({ ...scriptTask(), role });
  await router.run(scriptTask(), STORY, { editionId });
  await router.run(reviewTask(), STORY, { editionId, avoidVendors: ["alpha"] });
  await router.run(task("translator"), STORY, { editionId });
  await router.run(task("headline_editor"), STORY, { editionId });
  await router.run(task("arbiter"), STORY, { editionId }).catch((e) => errors.push(e));
  expect(errors).toHaveLength(1);

  // The keys went to the providers, so there was something to leak.
  expect(h.fake.calls.some((c) => c.headers.authorization === `Bearer ${KEYS.ALPHA_KEY}`)).toBe(true);
  expect(h.fake.calls.some((c) => c.headers.authorization === `Bearer ${KEYS.BETA_KEY}`)).toBe(true);

  await ledgerFor(h.db).flush();
  const rows = await h.db.selectFrom("model_calls").selectAll().execute();
  expect(rows.length).toBeGreaterThan(10);
  expect(rows.some((r) => r.error_class === "http_401" || r.note?.includes("Incorrect API key"))).toBe(true);
  const traced = spans.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, status: s.status, events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })) }));
  expect(traced.length).toBeGreaterThan(10);
  expect(logLines.length).toBeGreaterThan(0);

  const haystacks: [string, string][] = [
    ["log", logLines.join("\n")],
    ["spans", JSON.stringify(traced)],
    ["model_calls", JSON.stringify(rows)],
    ["errors", errors.map((e) => `${(e as Error).message} ${JSON.stringify(e)}`).join("\n")],
  ];
  for (const [where, text] of haystacks) {
    for (const key of PLANTED) expect(text.includes(key), `${where} contains a planted key`).toBe(false);
    expect(text.includes("PLANTED"), `${where} contains part of a planted key`).toBe(false);
  }
});
