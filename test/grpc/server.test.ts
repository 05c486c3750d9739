// The gRPC server plumbing on a real port: health, graceful shutdown, bearer token, TLS.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { credentials, status as Status, type ServiceError } from "@grpc/grpc-js";
import { NewsroomServiceClient, NewsroomServiceService, type NewsroomServiceServer } from "@newsroom/proto/newsroom";
import { Slot } from "@newsroom/proto/events";
import { afterEach, describe, expect, it } from "vitest";
import { grpcClientArgs } from "@newsroom/platform/grpc/client";
import { checkHealth, healthClient } from "@newsroom/platform/grpc/health-client";
import { startGrpcServer, type RunningGrpcServer } from "@newsroom/platform/grpc/server";
import { GrpcConfigError } from "@newsroom/platform/grpc/credentials";

const SERVICE = "newsroom.v1.NewsroomService";

/** Answers GetEdition for "e1" and NOT_FOUND otherwise; enough to see whether a call got through. */
const stubNewsroom: NewsroomServiceServer = {
  getEdition: (call, cb) =>
    call.request.editionId === "e1"
      ? cb(null, { edition: { editionId: "e1", slot: Slot.SLOT_MORNING, status: "requested", language: "en", now: undefined, deadline: undefined, publishedAt: undefined, location: "", storyCount: 0 } })
      : cb({ code: Status.NOT_FOUND, details: "no such edition" }),
  runEdition: (_call, cb) => cb({ code: Status.UNIMPLEMENTED, details: "stub" }),
  listEditions: (_call, cb) => cb(null, { editions: [] }),
  watchEdition: (call) => call.end(),
};

const started: RunningGrpcServer[] = [];
async function serve(env: NodeJS.ProcessEnv = {}) {
  const server = await startGrpcServer({ port: 0, host: "127.0.0.1", services: [{ definition: NewsroomServiceService, implementation: stubNewsroom }], env });
  started.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.shutdown(1000)));
});

function getEdition(client: NewsroomServiceClient, id: string) {
  return new Promise<string>((resolve, reject) => client.getEdition({ editionId: id }, (err, res) => (err ? reject(err) : resolve(res.edition!.editionId))));
}

describe("gRPC server", () => {
  it("picks a free port and reports SERVING for the server and each service", async () => {
    const server = await serve();
    expect(server.port).toBeGreaterThan(0);
    const address = `127.0.0.1:${server.port}`;
    expect(await checkHealth(address)).toBe("SERVING");
    expect(await checkHealth(address, { service: SERVICE })).toBe("SERVING");
    await expect(checkHealth(address, { service: "no.such.Service" })).rejects.toMatchObject({ code: Status.NOT_FOUND });

    server.setServing(false);
    expect(await checkHealth(address)).toBe("NOT_SERVING");
    expect(await checkHealth(address, { service: SERVICE })).toBe("NOT_SERVING");
  });

  it("turns NOT_SERVING when shutdown starts, lets the open call finish, then stops listening", async () => {
    const server = await serve();
    const address = `127.0.0.1:${server.port}`;
    const watch = healthClient(address).Watch({ service: "" });
    const statuses: string[] = [];
    let shutdown: Promise<void> | undefined;
    await new Promise<void>((resolve, reject) => {
      watch.on("error", (err: ServiceError) => (err.code === Status.CANCELLED ? resolve() : reject(err)));
      watch.on("data", ({ status }: { status: string }) => {
        statuses.push(status);
        if (status === "SERVING") shutdown = server.shutdown(30_000);
        if (status === "NOT_SERVING") watch.cancel(); // the last open call ends: shutdown can complete
      });
    });
    expect(statuses).toEqual(["SERVING", "NOT_SERVING"]);
    await shutdown;
    await expect(checkHealth(address, { timeoutMs: 5000 })).rejects.toMatchObject({ code: Status.UNAVAILABLE });
  });

  it("with GRPC_AUTH_TOKEN, refuses calls without the right bearer token; health needs none", async () => {
    const env = { GRPC_AUTH_TOKEN: "s3cret-token-value" };
    const server = await serve(env);
    const address = `127.0.0.1:${server.port}`;

    const anonymous = new NewsroomServiceClient(address, credentials.createInsecure());
    await expect(getEdition(anonymous, "e1")).rejects.toMatchObject({ code: Status.UNAUTHENTICATED, details: expect.stringContaining("authorization") });
    const wrong = new NewsroomServiceClient(address, ...grpcClientArgs({ GRPC_AUTH_TOKEN: "not-the-token" }));
    await expect(getEdition(wrong, "e1")).rejects.toMatchObject({ code: Status.UNAUTHENTICATED, details: "the bearer token is not valid" });
    const authorised = new NewsroomServiceClient(address, ...grpcClientArgs(env));
    expect(await getEdition(authorised, "e1")).toBe("e1");
    await expect(getEdition(authorised, "e2")).rejects.toMatchObject({ code: Status.NOT_FOUND });

    // Server streaming calls are guarded too.
    const refused = await new Promise<ServiceError>((resolve) => anonymous.watchEdition({ editionId: "e1" }).on("error", resolve));
    expect(refused.code).toBe(Status.UNAUTHENTICATED);

    expect(await checkHealth(address)).toBe("SERVING");
    for (const c of [anonymous, wrong, authorised]) c.close();
  });

  it("without a token configured, calls need no credentials", async () => {
    const server = await serve();
    const client = new NewsroomServiceClient(`127.0.0.1:${server.port}`, ...grpcClientArgs({}));
    expect(await getEdition(client, "e1")).toBe("e1");
    client.close();
  });

  it("serves TLS with GRPC_TLS_CERT/GRPC_TLS_KEY; clients trust GRPC_TLS_CA", async () => {
    const dir = mkdtempSync(join(tmpdir(), "grpc-tls-"));
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert,
    ], { stdio: "ignore" });
    const server = await serve({ GRPC_TLS_CERT: cert, GRPC_TLS_KEY: key });
    const address = `localhost:${server.port}`; // a host name: TLS SNI takes no IP addresses

    const trusted = new NewsroomServiceClient(address, ...grpcClientArgs({ GRPC_TLS_CA: cert }));
    expect(await getEdition(trusted, "e1")).toBe("e1");
    expect(await checkHealth(address, { env: { GRPC_TLS_CA: cert } })).toBe("SERVING");
    const plaintext = new NewsroomServiceClient(address, credentials.createInsecure());
    await expect(getEdition(plaintext, "e1")).rejects.toMatchObject({ code: Status.UNAVAILABLE });
    for (const c of [trusted, plaintext]) c.close();
  });

  it("says which TLS variable is missing when only one is set", async () => {
    await expect(serve({ GRPC_TLS_CERT: "/nowhere/cert.pem" })).rejects.toThrow(GrpcConfigError);
    await expect(serve({ GRPC_TLS_KEY: "/k.pem", GRPC_TLS_CERT: "/nowhere/cert.pem" })).rejects.toThrow(/GRPC_TLS_CERT: cannot read \/nowhere\/cert.pem \(ENOENT\)/);
  });
});
