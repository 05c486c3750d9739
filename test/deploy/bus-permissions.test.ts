// The NATS server config of deploy/k8s and the KEDA trigger, checked two ways:
//  - statically: parse nats.conf (from the built ConfigMap) and ask, for every service user,
//    whether it may publish what it emits, drive its own consumers, and nothing more;
//  - for real: start nats-server with that very file, connect as each service user through the
//    project's own JetStream bus (defaults for stream and prefix), consume, publish, dead-letter,
//    and read consumer lag from the monitoring port the way KEDA's nats-jetstream scaler does.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectJetStream } from "@newsroom/platform/bus/jetstream";
import { PermanentError, type Bus, type DeadLetter, type Delivery } from "@newsroom/platform/bus/types";
import { built, find, type K8sObject } from "./kustomize.js";
import { podContainers } from "./kustomize-fallback.js";
import { accountUsers, allowed, parseNatsConf, type ConfMap, type NatsUser } from "./nats-conf.js";
import {
  BUS_USERS,
  CONSUMERS,
  DEADLETTER_PREFIX,
  EMITS,
  KEDA_VOICE_CONSUMER,
  NATS_ACCOUNT,
  NATS_URL,
  SERVICES,
  STREAM,
  SUBJECT_PREFIX,
  type BusUser,
  type ServiceName,
} from "./facts.js";

type Obj = Record<string, any>;
const prod = () => built("overlays/prod").objects;
const natsConfText = () => (find(prod(), "ConfigMap", "nats-config").data as Obj)["nats.conf"] as string;
const natsConf = (): ConfMap => parseNatsConf(natsConfText());
const users = (): NatsUser[] => accountUsers(natsConf(), NATS_ACCOUNT);
const userOf = (svc: BusUser) => users().find((u) => u.user === svc)!;
const ALL_EVENTS = [...new Set(Object.values(EMITS).flat())];

/** What a service's JetStream client sends to drive one durable consumer (as @nats-io/jetstream 3 does). */
function consumerApi(durable: string): string[] {
  return [
    `$JS.API.CONSUMER.CREATE.${STREAM}.${durable}`,
    `$JS.API.CONSUMER.CREATE.${STREAM}.${durable}.${SUBJECT_PREFIX}.x`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${STREAM}.${durable}`,
    `$JS.API.CONSUMER.INFO.${STREAM}.${durable}`,
    `$JS.API.CONSUMER.MSG.NEXT.${STREAM}.${durable}`,
    `$JS.ACK.${STREAM}.${durable}.1.2.3.4.5.6`,
  ];
}

function bytes(size: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(i?B?)?$/i.exec(size.trim());
  if (!m) throw new Error(`cannot read size ${size}`);
  return Number(m[1]) * 1024 ** " KMGT".indexOf((m[2] || " ").toUpperCase());
}

describe("NATS permissions in nats.conf", () => {
  it.each(BUS_USERS)("%s may publish every event it emits and announce its dead letters", (svc) => {
    const u = userOf(svc);
    expect(u, `user ${svc} in account ${NATS_ACCOUNT}`).toBeDefined();
    const want = [...EMITS[svc].map((e) => `${SUBJECT_PREFIX}.${e}`), ...Object.keys(CONSUMERS[svc]).map((c) => `${DEADLETTER_PREFIX}.${c}`)];
    expect(want.filter((s) => !allowed(u.publish, s))).toEqual([]);
  });

  it.each(BUS_USERS)("%s may use the JetStream API for the stream and for its own consumers", (svc) => {
    const u = userOf(svc);
    const want = [
      "$JS.API.INFO",
      `$JS.API.STREAM.INFO.${STREAM}`,
      `$JS.API.STREAM.CREATE.${STREAM}`,
      ...Object.keys(CONSUMERS[svc]).flatMap(consumerApi),
    ];
    expect(want.filter((s) => !allowed(u.publish, s))).toEqual([]);
    expect(allowed(u.subscribe, "_INBOX.abc.1")).toBe(true);
  });

  it.each(BUS_USERS)("%s may do nothing more: no other events, consumers, stream deletes or raw subscriptions", (svc) => {
    const u = userOf(svc);
    const others = BUS_USERS.filter((s) => s !== svc);
    const forbidden = [
      ...ALL_EVENTS.filter((e) => !EMITS[svc].includes(e)).map((e) => `${SUBJECT_PREFIX}.${e}`),
      ...others.flatMap((o) => Object.keys(CONSUMERS[o]).flatMap((c) => [...consumerApi(c), `${DEADLETTER_PREFIX}.${c}`])),
      `$JS.API.STREAM.DELETE.${STREAM}`,
      `$JS.API.STREAM.PURGE.${STREAM}`,
      `$JS.API.STREAM.MSG.DELETE.${STREAM}`,
      `$JS.API.STREAM.CREATE.OTHER`,
      `$JS.API.CONSUMER.DELETE.${STREAM}.${Object.keys(CONSUMERS[svc])[0]}`,
    ];
    expect(forbidden.filter((s) => allowed(u.publish, s))).toEqual([]);
    expect(allowed(u.subscribe, `${SUBJECT_PREFIX}.story.ingested`)).toBe(false);
  });

  it.each(SERVICES)("%s connects as its own user with its own password variable", (svc) => {
    const c = (podContainers(find(prod(), "Deployment", svc)) as Obj[])[0];
    const env = Object.fromEntries((c.env as Obj[]).map((e) => [e.name, e]));
    expect(env.NATS_URL.value).toBe(NATS_URL);
    expect(env.NATS_USER.value).toBe(svc);
    const ref = env.NATS_PASS.valueFrom.secretKeyRef;
    expect(userOf(svc).password).toBe(`$${ref.key}`);
    const server = (podContainers(find(prod(), "StatefulSet", "nats")) as Obj[])[0];
    expect(server.envFrom).toContainEqual({ secretRef: { name: ref.name } });
  });

  it("listens where the Service and NATS_URL say, keeps JetStream on its volume within its size", () => {
    const conf = natsConf();
    const service = find(prod(), "Service", "nats").spec as Obj;
    expect(service.ports).toContainEqual(expect.objectContaining({ port: Number(conf.port), name: "client" }));
    expect(service.ports).toContainEqual(expect.objectContaining({ port: Number(conf.http_port), name: "monitor" }));
    expect(new URL(NATS_URL).port).toBe(String(conf.port));
    const sts = find(prod(), "StatefulSet", "nats");
    const c = (podContainers(sts) as Obj[])[0];
    const js = conf.jetstream as ConfMap;
    const dataMount = (c.volumeMounts as Obj[]).find((m) => (js.store_dir as string).startsWith(m.mountPath));
    const claim = ((sts.spec as Obj).volumeClaimTemplates as Obj[]).find((t) => t.metadata.name === dataMount?.name);
    expect(claim, "store_dir is on a PersistentVolumeClaim").toBeDefined();
    expect(bytes(js.max_file_store as string)).toBeLessThan(bytes(claim!.spec.resources.requests.storage));
    const configMount = (c.volumeMounts as Obj[]).find((m) => m.name === "config");
    expect(c.args).toEqual(["-c", `${configMount!.mountPath}/nats.conf`]);
  });

  it("requires a password of every user (no anonymous access)", () => {
    const conf = natsConf();
    expect(conf.no_auth_user).toBeUndefined();
    for (const u of users()) expect(u.password, u.user).toMatch(/^\$[A-Z_][A-Z0-9_]*$/);
  });
});

describe("KEDA scales voice on its JetStream consumer lag", () => {
  const scaled = () => find(prod(), "ScaledObject", "voice");
  const trigger = () => ((scaled().spec as Obj).triggers as Obj[])[0];

  it("targets the voice Deployment, 1 to 6 replicas, which no longer fixes its own count", () => {
    const spec = scaled().spec as Obj;
    expect(spec.scaleTargetRef.name).toBe("voice");
    find(prod(), "Deployment", "voice");
    expect([spec.minReplicaCount, spec.maxReplicaCount]).toEqual([1, 6]);
    expect((find(prod(), "Deployment", "voice").spec as Obj).replicas).toBeUndefined();
  });

  it("uses only the nats-jetstream scaler's fields, naming the stream, account and consumer of the code", () => {
    const t = trigger();
    expect(t.type).toBe("nats-jetstream");
    const known = ["natsServerMonitoringEndpoint", "account", "stream", "consumer", "lagThreshold", "activationLagThreshold", "useHttps"];
    expect(Object.keys(t.metadata).filter((k) => !known.includes(k))).toEqual([]);
    expect(t.metadata.stream).toBe(STREAM);
    expect(t.metadata.consumer).toBe(KEDA_VOICE_CONSUMER);
    expect(Object.keys(CONSUMERS.voice)).toContain(t.metadata.consumer);
    expect(t.metadata.account).toBe(NATS_ACCOUNT);
    expect(((natsConf().accounts as ConfMap)[t.metadata.account] as ConfMap).jetstream).toBe("enabled");
    expect(Number(t.metadata.lagThreshold)).toBeGreaterThan(0);
  });

  it("reads the monitoring port of the NATS Service by its cluster-wide name", () => {
    const t = trigger();
    const ns = scaled().metadata.namespace;
    const monitor = ((find(prod(), "Service", "nats").spec as Obj).ports as Obj[]).find((p) => p.name === "monitor");
    expect(t.metadata.natsServerMonitoringEndpoint).toBe(`nats.${ns}.svc.cluster.local:${monitor!.port}`);
  });
});

// ---- against a real nats-server ----

const natsServer = spawnSync("nats-server", ["--version"], { encoding: "utf8" });
const haveNatsServer = natsServer.status === 0;
if (!haveNatsServer) {
  const msg = "nats-server is not installed (apt-get install nats-server); the live NATS permission checks need it";
  if (process.env.CI === "true") throw new Error(msg);
  console.warn(`SKIPPED: ${msg}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

describe.skipIf(!haveNatsServer)("a real nats-server running deploy/k8s's nats.conf", () => {
  let server: ChildProcess;
  let dir: string;
  let url: string;
  let monitor: string;
  const passwords: Record<string, string> = {};
  const buses = new Map<BusUser, Bus>();
  let operator: NatsConnection;
  let jsm: JetStreamManager;

  const busOf = async (svc: BusUser) => {
    let bus = buses.get(svc);
    if (!bus) {
      bus = await connectJetStream({ url, user: svc, pass: passwords[svc], name: svc });
      buses.set(svc, bus);
    }
    return bus;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "newsroom-nats-"));
    // The file as deployed; only where JetStream keeps its files changes (the pod's volume is /data).
    const conf = natsConfText().replace(/^(\s*store_dir:).*$/m, `$1 "${dir}"`);
    writeFileSync(join(dir, "nats.conf"), conf);
    // NATS parses a substituted value that starts like a number as a number: passwords start with a letter.
    for (const u of users()) passwords[u.password.slice(1)] = `p${randomBytes(12).toString("hex")}`;
    for (const u of users()) passwords[u.user] = passwords[u.password.slice(1)];
    const [port, http] = [await freePort(), await freePort()];
    url = `nats://127.0.0.1:${port}`;
    monitor = `http://127.0.0.1:${http}`;
    const env = { ...process.env, ...Object.fromEntries(users().map((u) => [u.password.slice(1), passwords[u.user]])) };
    server = spawn("nats-server", ["-c", join(dir, "nats.conf"), "-a", "127.0.0.1", "-p", String(port), "-m", String(http)], { env, stdio: "ignore" });
    await until("nats-server to be healthy", async () => ((await fetch(`${monitor}/healthz`)).ok ? true : undefined));
    operator = await connect({ servers: url, user: "operator", pass: passwords.operator });
    jsm = await jetstreamManager(operator);
  }, 30_000);

  afterAll(async () => {
    for (const bus of buses.values()) await bus.close().catch(() => {});
    await operator?.close().catch(() => {});
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a connection without the right password", async () => {
    await expect(connect({ servers: url, user: "voice", pass: "wrong", reconnect: false })).rejects.toThrow();
    await expect(connect({ servers: url, reconnect: false })).rejects.toThrow();
  });

  it("lets the code's JetStream bus create its default stream over the newsroom subjects", async () => {
    await busOf("ingest");
    const info = await jsm.streams.info(STREAM);
    expect(info.config.subjects).toEqual([`${SUBJECT_PREFIX}.>`]);
  });

  it.each(BUS_USERS)("%s consumes, acks and dead-letters on its own consumers, and publishes what it emits", async (svc) => {
    const bus = await busOf(svc);
    const js = jsm.jetstream();
    for (const [durable, subject] of Object.entries(CONSUMERS[svc])) {
      const seen: string[] = [];
      const dead: DeadLetter[] = [];
      const sub = await bus.consume(
        { durable, subject, maxDeliver: 2, backoffMs: [10] },
        async (d: Delivery) => {
          d.working();
          const text = new TextDecoder().decode(d.data);
          seen.push(text);
          if (text.startsWith("poison")) throw new PermanentError("a poison message for the test");
        },
        async (letter) => void dead.push(letter),
      );
      const tag = randomBytes(4).toString("hex");
      await js.publish(`${SUBJECT_PREFIX}.${subject}`, new TextEncoder().encode(`ok ${tag}`));
      await js.publish(`${SUBJECT_PREFIX}.${subject}`, new TextEncoder().encode(`poison ${tag}`));
      await until(`${durable} to handle both messages`, async () => (seen.includes(`ok ${tag}`) && dead.length ? true : undefined));
      // Acks and terms are plain publishes: a denied one would leave the messages pending.
      await until(`${durable} to settle its messages`, async () => {
        const ci = await jsm.consumers.info(STREAM, durable);
        return ci.num_ack_pending === 0 && ci.num_pending === 0 ? true : undefined;
      });
      const announced = await until(`the dead letter of ${durable} on the bus`, () =>
        jsm.streams.getMessage(STREAM, { last_by_subj: `${DEADLETTER_PREFIX}.${durable}` }).then((m) => m ?? undefined),
      );
      expect(new TextDecoder().decode(announced.data)).toBe(`poison ${tag}`);
      await sub.stop(1_000);
    }
    for (const event of EMITS[svc]) {
      const r = await bus.publish(event, new TextEncoder().encode(`${svc} emits ${event}`), { msgId: randomBytes(8).toString("hex") });
      expect(r.duplicate).toBe(false);
    }
  });

  it.each(BUS_USERS)("%s is refused other services' events and consumers", async (svc) => {
    const bus = await busOf(svc);
    const other = BUS_USERS.find((s) => s !== svc && EMITS[s].some((e) => !EMITS[svc].includes(e)))!;
    const foreignEvent = EMITS[other].find((e) => !EMITS[svc].includes(e))!;
    await expect(bus.publish(foreignEvent, new Uint8Array([1]), { msgId: randomBytes(8).toString("hex") })).rejects.toThrow();
    const [foreignConsumer, foreignSubject] = Object.entries(CONSUMERS[other])[0];
    await expect(bus.consume({ durable: foreignConsumer, subject: foreignSubject }, async () => {}, async () => {})).rejects.toThrow();
  });

  it("reports voice's consumer lag where KEDA's nats-jetstream scaler looks for it", async () => {
    const scaled = find(prod(), "ScaledObject", "voice") as K8sObject;
    const t = ((scaled.spec as Obj).triggers as Obj[])[0].metadata as Record<string, string>;
    const voiceSubject = CONSUMERS.voice[t.consumer];
    const voice = await busOf("voice");
    const sub = await voice.consume({ durable: t.consumer, subject: voiceSubject }, async () => {}, async () => {});
    await sub.stop(1_000);
    // As the scaler does: /jsz?acc=<account>&consumers=true&config=true, lag = pending + ack pending.
    const lag = async () => {
      const jsz = (await (await fetch(`${monitor}/jsz?acc=${t.account}&consumers=true&config=true`)).json()) as Obj;
      const account = (jsz.account_details as Obj[] | undefined)?.find((a) => a.name === t.account);
      const stream = (account?.stream_detail as Obj[] | undefined)?.find((s) => s.name === t.stream);
      const consumer = (stream?.consumer_detail as Obj[] | undefined)?.find((c) => c.name === t.consumer);
      return consumer ? (consumer.num_pending as number) + (consumer.num_ack_pending as number) : undefined;
    };
    const before = await until("the voice consumer in /jsz", lag);
    const editor = await busOf("editor");
    for (let i = 0; i < 3; i++) await editor.publish(voiceSubject, new Uint8Array([i]), { msgId: randomBytes(8).toString("hex") });
    await until("the lag to grow by 3", async () => ((await lag()) === before + 3 ? true : undefined));
  });
});
