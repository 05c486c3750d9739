// The test vendor of bench/edition in its own process, so its fixed latency is not stretched by
// the newsroom's work on the same event loop: the well-behaved fake models, named `v-<model>`,
// each answering after LATENCY_MS. Prints its base URL on the first line of stdout.
import { startFakeOpenAI } from "../../test/fakes/openai-server.js";
import { wellBehavedModels, withLatency } from "../../test/pipeline/fake-models.js";

const latencyMs = Number(process.env.LATENCY_MS ?? 500);
const fake = await startFakeOpenAI();
for (const [name, b] of Object.entries(wellBehavedModels())) fake.setBehaviour(`v-${name}`, withLatency(b, latencyMs));
console.log(fake.url);
process.on("SIGTERM", () => void fake.close().then(() => process.exit(0)));
