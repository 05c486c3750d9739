// Transport credentials from the environment. The embedded default is plaintext on a local
// port; in a cluster, GRPC_TLS_CERT / GRPC_TLS_KEY (server) and GRPC_TLS_CA (clients) turn on TLS.
import { readFileSync } from "node:fs";
import { credentials, ServerCredentials, type ChannelCredentials } from "@grpc/grpc-js";

type Env = NodeJS.ProcessEnv;

export class GrpcConfigError extends Error {
  override name = "GrpcConfigError";
}

/** A PEM given inline or as a path to a file (a mounted Kubernetes secret). */
function readPem(name: string, value: string): Buffer {
  if (value.trimStart().startsWith("-----BEGIN")) return Buffer.from(value);
  try {
    return readFileSync(value);
  } catch (err) {
    throw new GrpcConfigError(`${name}: cannot read ${value} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** TLS when GRPC_TLS_CERT and GRPC_TLS_KEY are set (PEM or file path), plaintext otherwise. */
export function serverCredentials(env: Env = process.env): { creds: ServerCredentials; tls: boolean } {
  const { GRPC_TLS_CERT: cert, GRPC_TLS_KEY: key } = env;
  if (!cert && !key) return { creds: ServerCredentials.createInsecure(), tls: false };
  if (!cert || !key) throw new GrpcConfigError(`GRPC_TLS_CERT and GRPC_TLS_KEY must be set together (only ${cert ? "GRPC_TLS_CERT" : "GRPC_TLS_KEY"} is set)`);
  return {
    creds: ServerCredentials.createSsl(null, [{ cert_chain: readPem("GRPC_TLS_CERT", cert), private_key: readPem("GRPC_TLS_KEY", key) }]),
    tls: true,
  };
}

/** Client credentials: TLS trusting GRPC_TLS_CA (PEM or path), TLS with system roots when GRPC_TLS=true, else plaintext. */
export function grpcCredentials(env: Env = process.env): ChannelCredentials {
  if (env.GRPC_TLS_CA) return credentials.createSsl(readPem("GRPC_TLS_CA", env.GRPC_TLS_CA));
  if (env.GRPC_TLS === "true") return credentials.createSsl();
  return credentials.createInsecure();
}
