// What one edition costs under three routings, from examples/providers.yaml's prices: a
// reference edition runs against the OpenAI-compatible test vendor (every service in this
// process, PGlite, the local voice), its model_calls ledger gives the real prompt and completion
// tokens per role and the characters sent to speech; pricing.ts prices them. Writes the "cost"
// section of bench/README.md.
//
//   npx tsx bench/cost/run.ts        BENCH_STORIES (default 6, the README's zh edition)
import { mkdtempSync, readFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig } from "@newsroom/platform/config/load";
import { runVendorEdition } from "../../test/support/vendor-edition.js";
import { markdownTable, writeReadmeSection } from "../readme.js";
import { allOn, priceEdition, primaryRouting, ttsPerMinute, type PricedEdition } from "./pricing.js";

const STORIES = Number(process.env.BENCH_STORIES ?? 6);
const PREMIUM = "openai_flagship";
const CHEAP = "deepseek";
const ZH_VOICE = "minimax";

const examplesFile = fileURLToPath(new URL("../../examples/providers.yaml", import.meta.url));
// Keys are not needed to read prices: a provider whose key is unset is only skipped by the router.
const prices = parseConfig(readFileSync(examplesFile, "utf8"), examplesFile, {});
const load = loadavg()[0].toFixed(2);

const run = await runVendorEdition({ stories: STORIES, latencyMs: 0, dir: mkdtempSync(join(tmpdir(), "bench-cost-")) });
if (run.status !== "published") throw new Error(`the reference edition ended ${run.status}, not published`);
const chat = run.usage.filter((u) => u.kind === "chat");
const roles = chat.map((u) => u.role);
const characters = run.usage.filter((u) => u.kind === "tts").reduce((n, u) => n + u.characters, 0);
const minutes = run.audioMs / 60_000;

const routings: { label: string; p: PricedEdition }[] = [
  { label: `default trust-nobody (examples' chains), voice ${ZH_VOICE}`, p: priceEdition(run.usage, primaryRouting(prices, roles), ZH_VOICE, prices) },
  { label: `all-premium on one US vendor (${PREMIUM}), voice openai`, p: priceEdition(run.usage, allOn(PREMIUM, roles), "openai", prices) },
  { label: `all-cheap on one CN vendor (${CHEAP}), voice ${ZH_VOICE}`, p: priceEdition(run.usage, allOn(CHEAP, roles), ZH_VOICE, prices) },
];
const [trustNobody, premium] = routings.map((r) => r.p);
const usd = (n: number) => `$${n.toFixed(4)}`;
const share = (n: number, of: number) => `${((n / of) * 100).toFixed(1)}%`;

const tokensTable = markdownTable(
  ["role", "calls", "prompt tokens", "completion tokens", ...routings.map((_, i) => `routing ${i + 1}`)],
  chat.map((u) => [u.role, u.calls, u.input_tokens, u.output_tokens, ...routings.map((r) => {
    const row = r.p.roles.find((x) => x.role === u.role)!;
    return `${row.provider} ${usd(row.cost_usd)}`;
  })]),
);
const routingTable = markdownTable(
  ["routing", "models", "voice", "all in", "models vs all-premium", "all in vs all-premium"],
  routings.map((r, i) => [`${i + 1}. ${r.label}`, usd(r.p.models_usd), usd(r.p.tts_usd), `**${usd(r.p.total_usd)}**`, share(r.p.models_usd, premium.models_usd), share(r.p.total_usd, premium.total_usd)]),
);
const ttsTable = markdownTable(
  ["speech vendor", "model", "USD per million characters", "USD per minute of audio", "this edition's audio"],
  ["minimax", "elevenlabs", "openai"].map((name) => {
    const t = prices.tts_providers[name];
    return [name, t.model ?? "", t.price_per_mchar, usd(ttsPerMinute(t.price_per_mchar, characters, run.audioMs)), usd((characters * t.price_per_mchar) / 1e6)];
  }),
);
const met = (ok: boolean) => (ok ? "met" : "not met");
const verdict = `Default routing all in: ${usd(trustNobody.total_usd)} (goal at most $0.40: ${met(trustNobody.total_usd <= 0.4)}). Against all-premium: models ${share(trustNobody.models_usd, premium.models_usd)} (goal at most 20%: ${met(trustNobody.models_usd <= premium.models_usd / 5)}), all in ${share(trustNobody.total_usd, premium.total_usd)} (goal at most 20%: ${met(trustNobody.total_usd <= premium.total_usd / 5)}).`;

writeReadmeSection(
  "cost",
  `## cost

Command: \`npx tsx bench/cost/run.ts\` (about a minute; \`BENCH_STORIES\` the edition's size, default ${STORIES}, as the README's zh edition).
Last run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average ${load} at start (token counts do not depend on it).

A reference edition of ${STORIES} fresh stories (${run.stories} voiced, ${chat.reduce((n, u) => n + u.calls, 0)} model calls) made on the embedded default against the
OpenAI-compatible test vendor, its model roles' prompts and completions counted by the vendor's \`usage\` (about 4
characters a token) and read back from the \`model_calls\` ledger, with the ${characters} characters sent to speech and its
${minutes.toFixed(1)} minutes of audio (the local voice). Those counts are priced under three routings with
\`examples/providers.yaml\`'s prices (\`prices\` per provider, \`price_per_mchar\` per speech vendor; list prices, see the
date there). Each role is priced at its chain's primary (no fallbacks, no repair rounds). The test vendor's sources are
two sentences each and its writer copies at most four sentences, so real editions have longer prompts and scripts:
read the ratios first, and scale the dollars by your sources' length.

${routingTable}

${verdict}
Speech is ${share(trustNobody.tts_usd, trustNobody.total_usd)} of the default routing's bill: the model roles are where routing saves, and the voice
vendor decides most of the total (OpenAI tts-1, the premium routing's one-vendor voice, is a quarter of MiniMax's price per character).

Tokens per role and what each routing charges for them (routing numbers as above):

${tokensTable}

Speech, per minute of audio at this edition's ${minutes > 0 ? Math.round(characters / minutes) : 0} characters a minute (English; Mandarin speaks about a
third as many characters a minute, so a zh minute costs less at a per-character price):

${ttsTable}`,
);
console.log(`${routingTable}\n\n${verdict}\n\n${tokensTable}\n\n${ttsTable}\nFigures written to bench/README.md.`);
process.exit(0);
