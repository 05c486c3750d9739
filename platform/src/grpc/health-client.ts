// Asks a server's grpc.health.v1.Health service how it is (readiness waits, CLI, tests).
import { makeGenericClientConstructor, type Client, type ServiceError } from "@grpc/grpc-js";
import { service as healthService, type ServingStatus } from "grpc-health-check";
import { grpcCredentials } from "./credentials.js";

const HealthClient = makeGenericClientConstructor(healthService, "grpc.health.v1.Health");

export interface HealthClientApi extends Client {
  Check(req: { service: string }, options: { deadline: number }, cb: (err: ServiceError | null, res: { status: ServingStatus }) => void): void;
  Watch(req: { service: string }): NodeJS.EventEmitter & { cancel(): void };
}

export function healthClient(address: string, env: NodeJS.ProcessEnv = process.env): HealthClientApi {
  return new HealthClient(address, grpcCredentials(env)) as unknown as HealthClientApi;
}

/** The status of `service` ("" = the whole server); rejects with the gRPC error (NOT_FOUND, UNAVAILABLE, ...). */
export async function checkHealth(address: string, opts: { service?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ServingStatus> {
  const client = healthClient(address, opts.env);
  try {
    return await new Promise<ServingStatus>((resolve, reject) =>
      client.Check({ service: opts.service ?? "" }, { deadline: Date.now() + (opts.timeoutMs ?? 5_000) }, (err, res) => (err ? reject(err) : resolve(res.status))),
    );
  } finally {
    client.close();
  }
}
