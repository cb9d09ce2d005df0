import { extname } from 'node:path';

/**
 * What both hosts of the renderer (app:// in Electron, the preview server) send with every file,
 * kept in one place so that preview tests exercise exactly the desktop app's policy.
 *
 * The renderer's Content Security Policy: only our own bundle may run or be fetched — no inline
 * or eval'd script, no remote script, no plugins, no <base> rewriting, no framing, no forms
 * posting anywhere. React applies style props through CSSOM, which style-src does not govern,
 * so no 'unsafe-inline' is needed for styles either.
 */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The app's CSP allowing one more origin to connect to (the preview bridge, the dev server's HMR socket). */
export function cspConnectingTo(origin: string): string {
  return APP_CSP.replace("connect-src 'self'", `connect-src 'self' ${origin}`);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
