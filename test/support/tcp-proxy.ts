// A TCP proxy in front of a real server (Postgres, NATS) that a test can cut and restore, so a
// service sees its dependency go away and come back without the shared server being touched.
import { createConnection, createServer, type Socket } from "node:net";

export interface TcpProxy {
  /** host:port of the proxy. */
  port: number;
  /** Drop every connection and refuse new ones, as a server that went down. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let down = false;
  const track = (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (down) return void client.destroy();
    const upstream = createConnection(target);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
  return {
    port,
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    close() {
      down = true;
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** `url` with its host and port replaced by the proxy's. */
export function viaProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(proxy.port);
  return u.toString();
}

/** A proxy in front of the server a URL names (postgres://…, nats://…), on the scheme's usual port when the URL gives none. */
export function startTcpProxyTo(url: string): Promise<TcpProxy> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol.startsWith("postgres") ? 5432 : 4222));
  return startTcpProxy({ host: u.hostname, port });
}
