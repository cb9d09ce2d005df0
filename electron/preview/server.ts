import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBridge, newToken, type BridgeOptions } from './bridge';
import { createStaticHandler, securityHeaders } from './static';

export interface ServerOptions extends BridgeOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks any free port. */
  port?: number;
  /** Defaults to 32 random bytes; only tests pass one. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** The one loopback address preview ever binds. */
export const LOOPBACK = '127.0.0.1';

/** HTTP (the built renderer) and the WebSocket bridge on one loopback port. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  let port = 0;
  let serveStatic: ReturnType<typeof createStaticHandler> | null = null;
  const server: Server = createServer((req, res) => {
    // Anything but our own address is a DNS-rebinding attempt or a mistake: answer nothing useful.
    if (req.headers.host !== `${LOOPBACK}:${port}` || !serveStatic) {
      res.writeHead(403, { ...securityHeaders(port), 'Content-Type': 'text/plain; charset=utf-8' }).end('Forbidden\n');
      return;
    }
    serveStatic(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  const bridge = createBridge({ ...options, token, port: () => port });
  server.on('upgrade', (req, socket, head) => bridge.handleUpgrade(req, socket, head));
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: LOOPBACK, port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  serveStatic = createStaticHandler(options.rendererDir, port);

  let closing: Promise<void> | null = null;
  return {
    url: `http://${LOOPBACK}:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    close() {
      closing ??= (async () => {
        await bridge.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
