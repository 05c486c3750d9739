import { describe, expect, it } from "vitest";
import { checkCredentials, settings } from "./settings.js";
import { PIPELINE_SERVICES } from "../newsroom.js";

const split = { NATS_URL: "nats://nats:4222", DATABASE_URL: "postgres://u@db/newsroom" };

describe("process settings", () => {
  it("names the variable and what it expects", () => {
    expect(() => settings({ GRPC_PORT: "http", ...split })).toThrow(/GRPC_PORT: expected number; found "http"/);
    expect(() => settings({ DATABASE_URL: "mysql://x", NATS_URL: "nats://x" })).toThrow(/DATABASE_URL: expected a postgres:\/\/ URL; found "mysql:\/\/x"/);
  });

  it("never prints a password from a malformed URL", () => {
    expect(() => settings({ DATABASE_URL: "mysql://admin:hunter2@db/x", NATS_URL: "nats://x" })).toThrow(/found "mysql:\/\/admin:\*\*\*@db\/x"/);
    expect(() => settings({ DATABASE_URL: "mysql://admin:hunter2@db/x", NATS_URL: "nats://x" })).not.toThrow(/hunter2/);
  });

  it("refuses a split deployment without a shared bus and database", () => {
    expect(() => settings({}, { services: ["editor"] })).toThrow(/without NATS_URL/);
    expect(() => settings({ NATS_URL: "nats://x:4222" }, { services: ["editor"] })).toThrow(/DATABASE_URL is not/);
    expect(settings({}, { services: [...PIPELINE_SERVICES] }).natsUrl).toBeUndefined();
    expect(settings(split, { embedded: true }).databaseUrl).toBeUndefined();
  });

  it("lets the listener site run alone on the embedded default, but not beside part of the pipeline", () => {
    expect(settings({}, { services: ["site"] }).natsUrl).toBeUndefined();
    expect(() => settings({}, { services: ["site", "publisher"] })).toThrow(/without NATS_URL/);
  });

  it("refuses APIs and a bus without credentials outside the embedded default, unless told otherwise", () => {
    const s = settings(split, { services: ["ingest"] });
    expect(() => checkCredentials(s, split, true)).toThrow(/GRPC_AUTH_TOKEN[\s\S]*NATS at nats without a user[\s\S]*ALLOW_INSECURE=true/);
    expect(checkCredentials(s, { ...split, ALLOW_INSECURE: "true" }, true)).toHaveLength(2);
    const secured = { ...split, NATS_USER: "ingest", NATS_PASS: "p1", GRPC_AUTH_TOKEN: "t" };
    expect(checkCredentials(settings(secured, { services: ["ingest"] }), secured, true)).toEqual([]);
    // Only health on this service: no API to protect.
    expect(() => checkCredentials(s, split, false)).toThrow(/NATS_USER/);
    // Loopback is exempt (a laptop, the tests).
    const local = { NATS_URL: "nats://127.0.0.1:4222", DATABASE_URL: "postgres://u@127.0.0.1/x", GRPC_HOST: "127.0.0.1" };
    expect(checkCredentials(settings(local, { services: ["ingest"] }), local, true)).toEqual([]);
  });
});
