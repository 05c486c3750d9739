// The newsroom's map (platform/src/newsroom.ts) against the code: the registrations each service's
// spec really returns, the gRPC services it really serves, the events its code writes to the
// outbox, the role modules and service folders on disk. Then the same check against doctored
// maps, so it is shown to fail where it should.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SERVABLE } from "@newsroom/cli/services";
import { loadConfigFile } from "@newsroom/platform/config/load";
import { MODEL_ROLES, PERSONAS } from "@newsroom/platform/config/schema";
import type { Db } from "@newsroom/platform/db/connect";
import { consume } from "@newsroom/platform/handler";
import { createLogger } from "@newsroom/platform/log";
import { NEWSROOM, type NewsroomDeclaration } from "@newsroom/platform/newsroom";
import type { ServiceDeps } from "@newsroom/platform/service/spec";
import { emittedEvents, REPO, runtimeSources } from "../deploy/code-text.js";
import { mapDisagreements, type ObservedCode } from "./agreement.js";

let code: ObservedCode;

/** Registering handlers and gRPC implementations is wiring only: any use of these is a failure. */
const untouchable = <T extends object>(what: string): T =>
  new Proxy({} as T, {
    get: (_t, key) => {
      throw new Error(`registering a service used ${what}.${String(key)}`);
    },
  });

/** "newsroom.v1.VoiceService" from a grpc-js service definition (its methods' paths). */
function protoServiceName(definition: unknown): string {
  const method = Object.values(definition as Record<string, { path: string }>)[0];
  return method.path.split("/")[1];
}

beforeAll(() => {
  const deps: ServiceDeps = {
    config: loadConfigFile(join(REPO, "samples/newsroom.yaml"), {}),
    db: untouchable<Db>("the database"),
    log: createLogger("map-test", () => {}, {}),
    router: () => {
      throw new Error("registering handlers must not call a model");
    },
    outDir: "/nonexistent",
    nudgeOutbox: () => {},
    env: {},
    away: () => [],
  };
  const folders = readdirSync(join(REPO, "services")).filter((f) => statSync(join(REPO, "services", f)).isDirectory());
  code = {
    services: SERVABLE.map((spec) => ({
      name: spec.name,
      registrations: spec.handlers(deps).map((r) => ({ event: r.event, consumer: r.consumer })),
      grpc: (spec.grpc?.(deps) ?? []).map((b) => protoServiceName(b.definition)),
      emitted: [...emittedEvents(runtimeSources([`services/${spec.name}/src`]))],
    })),
    emittedAnywhere: [...emittedEvents(runtimeSources())],
    serviceFolders: folders,
    readFile: (path) => (existsSync(join(REPO, path)) ? readFileSync(join(REPO, path), "utf8") : undefined),
    modelRoles: MODEL_ROLES,
    personas: PERSONAS,
  };
});

/** The newsroom's map with one change, deep-copied so the real one is untouched. */
function doctored(change: (m: NewsroomDeclaration) => void): NewsroomDeclaration {
  const copy = structuredClone(NEWSROOM) as unknown as NewsroomDeclaration;
  change(copy);
  return copy;
}

describe("the newsroom's map and the code", () => {
  it("agree: every registration, consumer name, emitted event, gRPC API, role module and service folder", () => {
    expect(code.services.map((s) => s.name)).toEqual(Object.keys(NEWSROOM.services));
    expect(mapDisagreements(NEWSROOM, code)).toEqual([]);
  });

  it("observes something: every service registers or serves, and the events flow", () => {
    expect(code.services.flatMap((s) => s.registrations).length).toBeGreaterThanOrEqual(8);
    expect(code.services.find((s) => s.name === "voice")?.grpc).toEqual(["newsroom.v1.VoiceService"]);
    expect(code.emittedAnywhere).toContain("story.dropped");
  });
});

describe("the check fails where the map and the code part", () => {
  it("an event consumed by a service the map does not name", () => {
    const map = doctored((m) => (m.events["script.approved"] = { ...m.events["script.approved"], to: [] }));
    expect(mapDisagreements(map, code)).toContain("voice consumes script.approved (consumer voice-script-approved), but the map does not name voice among its consumers");
  });

  it("a consumer the map declares but the code never registers", () => {
    const map = doctored((m) => (m.events["edition.published"] = { ...m.events["edition.published"], to: ["editor"] }));
    expect(mapDisagreements(map, code)).toContain("the map says editor consumes edition.published, but editor registers no consumer of it");
  });

  it("a consumer registered under another name than the map's", () => {
    const renamed = { ...code, services: code.services.map((s) => (s.name === "factcheck" ? { ...s, registrations: [{ event: "script.drafted", consumer: "fc-drafts" }] } : s)) };
    expect(mapDisagreements(NEWSROOM, renamed)).toContain('factcheck consumes script.drafted as "fc-drafts", but the map names that consumer "factcheck-script-drafted"');
  });

  it("an event a service writes that the map does not let it publish", () => {
    const map = doctored((m) => (m.events["segment.voiced"] = { ...m.events["segment.voiced"], from: ["publisher"] }));
    expect(mapDisagreements(map, code)).toEqual(
      expect.arrayContaining(["voice writes segment.voiced to its outbox, but the map does not name voice among its producers"]),
    );
  });

  it("a role without a module, a module in another service's folder, a module that is not the role's", () => {
    const map = doctored((m) => {
      m.roles.anchor_b = { ...m.roles.anchor_b, module: "services/voice/src/roles/anchor-b.ts" };
      m.roles.arbiter = { ...m.roles.arbiter, module: "services/editor/src/roles/writer.ts" };
      m.roles.writer = { ...m.roles.writer, module: "services/editor/src/roles/translator.ts" };
    });
    expect(mapDisagreements(map, code)).toEqual([
      "role writer: services/editor/src/roles/translator.ts does not say it is the writer",
      "role arbiter: its module services/editor/src/roles/writer.ts is not in the factcheck service's folder",
      "role anchor_b: its module services/voice/src/roles/anchor-b.ts does not exist",
    ]);
  });

  it("a gRPC API served but not declared, a service folder the map does not know, a service nothing runs", () => {
    const map = doctored((m) => (m.services.voice = { ...m.services.voice, grpc: [] }));
    const more = { ...code, serviceFolders: [...code.serviceFolders, "printer"], services: code.services.filter((s) => s.name !== "publisher") };
    expect(mapDisagreements(map, more)).toEqual([
      "folder services/printer is not a service the map declares",
      "the map declares service publisher, but nothing runs it",
      "voice serves newsroom.v1.VoiceService, but the map does not say so",
    ]);
  });

  it("the compiler refuses a registration the map does not declare", () => {
    // @ts-expect-error voice does not consume lineup.decided in the map
    const wrong = consume("voice", "lineup.decided", async () => {});
    expect(wrong.consumer).toBe("voice-lineup-decided");
  });
});
