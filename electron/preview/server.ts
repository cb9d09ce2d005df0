import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createBridge, newToken, type BridgeOptions } from './bridge';
import { createStaticHandler, securityHeaders } from './static';
import { parseTarget } from './target';

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
    const plain = (status: number, text: string) =>
      void res.writeHead(status, { ...securityHeaders(port), 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
    const target = parseTarget(req.url);
    if (!target) return plain(400, 'Bad request');
    // Anything but our own address is a DNS-rebinding attempt or a mistake: answer nothing useful.
    if (req.headers.host !== `${LOOPBACK}:${port}` || !serveStatic) return plain(403, 'Forbidden');
    serveStatic(req, res, target).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  const bridge = createBridge({ ...options, token, port: () => port });
  server.on('upgrade', (req, socket, head) => bridge.handleUpgrade(req, socket, head));
  // A request line or header Node cannot parse (raw spaces, bad bytes, a truncated request).
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable && socket.bytesWritten === 0) socket.write('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    socket.destroy();
  });

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
