import type { Session } from 'electron';
import { cspConnectingTo } from '../web-policy';

export { APP_CSP } from '../web-policy';

/**
 * Development only (Vite dev server): @vitejs/plugin-react injects an inline module script (the
 * React Refresh preamble) and HMR talks over a WebSocket to the dev server, so this policy adds
 * exactly those two things for that one origin. Never used when the app is packaged.
 */
export function devCsp(devServerOrigin: string): string {
  const ws = devServerOrigin.replace(/^http/, 'ws');
  return cspConnectingTo(ws).replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
}

type Headers = Record<string, string[]> | undefined;

/** Drops any CSP a server sent, whatever its casing, so ours is the only one. */
function withoutCsp(headers: Headers): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  return out;
}

function replaceCsp(headers: Headers, policy: string): Record<string, string[]> {
  return { ...withoutCsp(headers), 'Content-Security-Policy': [policy] };
}

/**
 * Sets the CSP on every http(s) response the session receives (the dev server, and anything
 * that slips past the navigation guards). app:// responses carry the header from the protocol
 * handler, because webRequest does not see custom protocols.
 */
export function enforceCsp(session: Session, devServerOrigin: string | null): void {
  if (devServerOrigin) {
    const policy = devCsp(devServerOrigin);
    session.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: replaceCsp(details.responseHeaders, policy) });
    });
    return;
  }
  // Written out rather than referencing APP_CSP so Electronegativity can read and evaluate the
  // literal policy; csp.test.ts asserts it is identical to APP_CSP.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...withoutCsp(details.responseHeaders),
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ],
      },
    });
  });
}
