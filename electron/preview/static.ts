import { readFile, realpath, stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeFor, cspConnectingTo } from '../web-policy';
import type { RequestTarget } from './target';

export { contentTypeFor };

/** The app's CSP, with the one addition preview needs: its own WebSocket origin. */
export function contentSecurityPolicy(port: number): string {
  return cspConnectingTo(`ws://127.0.0.1:${port}`);
}

export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/**
 * Maps a request path to a file strictly inside `root`, or null. Decoding happens once, then the
 * path is normalised and must stay under root; NUL bytes, backslashes and encoded separators that
 * would escape are all refused.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = normalize(join(root, relative));
  const rootWithSep = root.endsWith(sep) ? root : root + sep;
  return full.startsWith(rootWithSep) ? full : null;
}

/** Serves the built renderer read-only; anything outside `root` (also via symlinks) is a 404. */
export function createStaticHandler(root: string, port: number) {
  const headers = securityHeaders(port);
  const realRoot = realpath(root);
  // Not built (or removed while running): every request is then a 404, never an unhandled rejection.
  realRoot.catch(() => undefined);
  return async (req: IncomingMessage, res: ServerResponse, target: RequestTarget): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }
    const notFound = () => res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    const candidate = resolveInside(root, target.pathname);
    if (!candidate) return void notFound();
    let body: Buffer;
    try {
      const [real, rootReal] = await Promise.all([realpath(candidate), realRoot]);
      if (!real.startsWith(rootReal + sep)) return void notFound();
      if (!(await stat(real)).isFile()) return void notFound();
      body = await readFile(real);
    } catch {
      return void notFound();
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': contentTypeFor(candidate),
      'Content-Length': String(body.length),
      // The renderer is rebuilt in place during development; never serve a stale bundle.
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
