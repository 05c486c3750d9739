// The checkers themselves: each must be able to say no.
import { describe, expect, it } from "vitest";
import { checkSchema } from "./k8s-schema.js";
import type { K8sObject } from "./kustomize.js";
import { accountUsers, allowed, parseNatsConf, subjectMatches } from "./nats-conf.js";
import { strategicMerge } from "./strategic-merge.js";

describe("strategicMerge", () => {
  it("merges maps, deletes on null, merges named lists patch-first and replaces other lists", () => {
    const original = {
      replicas: 2,
      containers: [{ name: "a", image: "x", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }], args: ["one"] }],
    };
    const patch = { replicas: null, containers: [{ name: "a", env: [{ name: "C", value: "3" }, { name: "B", value: "9" }], args: ["two"] }] };
    expect(strategicMerge(original, patch)).toEqual({
      containers: [{ name: "a", image: "x", env: [{ name: "C", value: "3" }, { name: "B", value: "9" }, { name: "A", value: "1" }], args: ["two"] }],
    });
  });
});

describe("nats-conf", () => {
  const conf = parseNatsConf(`
    # comment
    port: 4222
    http_port = 8222
    jetstream { store_dir: "/data" }   // trailing comment
    accounts {
      A {
        jetstream: enabled
        users: [
          { user: svc, password: $SVC_PASS, permissions: { publish: ["a.b", "$JS.API.CONSUMER.INFO.S.*"], subscribe: { allow: ["_INBOX.>"] } } }
          { user: other, password: "p" }
        ]
      }
    }
  `);

  it("reads blocks, arrays, separators, comments and variables", () => {
    expect(conf.port).toBe("4222");
    expect(conf.http_port).toBe("8222");
    expect((conf.jetstream as Record<string, unknown>).store_dir).toBe("/data");
    const [svc, other] = accountUsers(conf, "A");
    expect(svc).toEqual({ user: "svc", password: "$SVC_PASS", publish: ["a.b", "$JS.API.CONSUMER.INFO.S.*"], subscribe: ["_INBOX.>"] });
    expect(other.publish).toEqual([]);
    expect(() => accountUsers(conf, "B")).toThrow(/no account B/);
    expect(() => parseNatsConf("a { b: 1")).toThrow(/missing \}/);
  });

  it("matches subjects the way NATS does", () => {
    expect(subjectMatches("a.*.c", "a.b.c")).toBe(true);
    expect(subjectMatches("a.*", "a.b.c")).toBe(false);
    expect(subjectMatches("a.>", "a.b.c")).toBe(true);
    expect(subjectMatches("a.>", "a")).toBe(false);
    expect(subjectMatches("a.b", "a.b.c")).toBe(false);
    expect(allowed(["x.y", "$JS.API.CONSUMER.INFO.S.*"], "$JS.API.CONSUMER.INFO.S.c1")).toBe(true);
    expect(allowed(["x.y"], "x.z")).toBe(false);
  });
});

describe("checkSchema", () => {
  const deployment = (container: Record<string, unknown>, extra: Record<string, unknown> = {}): K8sObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d", labels: { any: "label" } },
    spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [container] } }, ...extra },
  });

  it("passes a correct object and reports misspelt keys by path", () => {
    expect(checkSchema(deployment({ name: "c", image: "i", securityContext: { readOnlyRootFilesystem: true } }))).toEqual({ errors: [], unknownKeys: [] });
    const r = checkSchema(deployment({ name: "c", image: "i", securityContext: { readOnlyRootFileSystem: true } }, { replica: 2 }));
    expect(r.unknownKeys.sort()).toEqual(["spec.replica", "spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem"]);
  });

  it("reports schema violations and kinds it has no schema for", () => {
    expect(checkSchema(deployment({ name: "c", image: "i", ports: [{ containerPort: "http" }] })).errors.join()).toMatch(/containerPort/);
    expect(() => checkSchema({ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "t" } })).toThrow(/no schema/);
  });
});
