import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { HttpMethod } from '../../shared/spec';
import { MAX_SHOWN_BODY_BYTES, TRY_ERRORS } from '../../shared/workbench';

/**
 * The test-fire's HTTP client, in the main process only. It calls one address the checks below
 * approved (the name is resolved once and the connection pinned to that address, so a second
 * lookup cannot swap in a private one), verifies TLS against the system's roots or a CA it is
 * given (tests), never follows a redirect to another host, stops at a timeout or when cancelled,
 * and reads at most MAX_SHOWN_BODY_BYTES of the body.
 */

export const TRY_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 5;

export interface FireRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export type FireError = { kind: 'error'; reason: (typeof TRY_ERRORS)[number]; message: string };
export interface FireResponse {
  kind: 'response';
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The whole body's size when known (Content-Length), else the bytes read. */
  size: number;
  truncated: boolean;
  latencyMs: number;
  /** After same-host redirects. */
  url: string;
}
export type FireOutcome = FireResponse | FireError;

export interface Address {
  address: string;
  family: number;
}

export interface FireOptions {
  /** Loopback, private, link-local and other non-public addresses are called only when true. */
  allowPrivate: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM), added to the system's roots; tests pass their own CA. */
  ca?: string;
  /** Name resolution; the system resolver unless given. */
  lookup?: (host: string) => Promise<Address[]>;
  /** Starts the timeout; returns its cancel. Tests pass one they fire by hand. */
  setTimer?: (fire: () => void, ms: number) => () => void;
  now?: () => number;
  maxBodyBytes?: number;
  /** The request carries a secret: over plain http it may go to a loopback or private address only. */
  carriesSecret?: boolean;
}

const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** Loopback, private, link-local, carrier-grade NAT, multicast, reserved (IPv4-mapped IPv6 too). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return NON_PUBLIC.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 4) return NON_PUBLIC.check(address, 'ipv4');
  if (family === 6) return NON_PUBLIC.check(address, 'ipv6');
  return true;
}

const systemLookup = async (host: string): Promise<Address[]> => dnsLookup(host, { all: true, verbatim: true });

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/;

function describeNetworkError(error: unknown, url: URL): FireError {
  const code = error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return { kind: 'error', reason: 'dns', message: `The host name ${url.hostname} could not be found (DNS: ${code}). Check the endpoint's address for typos, and that this computer is online.` };
  }
  if (TLS_CODES.test(code)) {
    return { kind: 'error', reason: 'tls', message: `The secure connection to ${url.host} failed (TLS: ${code}, ${detail}). The server's certificate is not trusted for that name; Parley does not call it over an unverified connection.` };
  }
  if (code === 'ECONNREFUSED') return { kind: 'error', reason: 'connection', message: `${url.host} refused the connection (nothing is listening there). Check the endpoint's address and port.` };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { kind: 'error', reason: 'connection', message: `${url.host} closed the connection before answering (${code}).` };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { kind: 'error', reason: 'connection', message: `${url.host} cannot be reached from this computer (${code}).` };
  return { kind: 'error', reason: 'connection', message: `The request to ${url.host} failed: ${detail}${code ? ` (${code})` : ''}.` };
}

function headerRecord(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** The one address to connect to, or why none may be used. */
export async function resolveAllowed(url: URL, options: Pick<FireOptions, 'allowPrivate' | 'lookup'>): Promise<Address | FireError> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Address[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await (options.lookup ?? systemLookup)(host);
    } catch (error) {
      return describeNetworkError(error, url);
    }
    if (addresses.length === 0) return describeNetworkError(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), url);
  }
  if (!options.allowPrivate) {
    const inside = addresses.find((a) => isPrivateAddress(a.address));
    if (inside) {
      return {
        kind: 'error',
        reason: 'private-address',
        message: `${url.hostname} is a loopback or private address (${inside.address}). Test-fires go to public addresses only, unless you allow private addresses for this tool.`,
      };
    }
  }
  return addresses[0]!;
}

interface Hop {
  url: URL;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | undefined;
  target: Address;
}

interface HopContext {
  signal: AbortSignal;
  /** Why the request was stopped (timeout, cancel), once it was. */
  stopped: () => FireError | null;
  ca?: string;
  limit: number;
  latency: () => number;
}

type HopOutcome = FireOutcome | { redirect: string; status: number };

/** Reads a response's body up to `limit` bytes; past it, stops downloading. */
function readBody(res: http.IncomingMessage, hop: Hop, ctx: HopContext, resolve: (outcome: HopOutcome) => void): void {
  const chunks: Buffer[] = [];
  let read = 0;
  let truncated = false;
  const finish = () => {
    const declared = Number(res.headers['content-length']);
    resolve({
      kind: 'response',
      status: res.statusCode ?? 0,
      statusText: res.statusMessage ?? '',
      headers: headerRecord(res.headers),
      body: Buffer.concat(chunks),
      size: Number.isFinite(declared) && declared > read ? declared : read,
      truncated,
      latencyMs: ctx.latency(),
      url: hop.url.href,
    });
  };
  res.on('data', (chunk: Buffer) => {
    if (truncated) return;
    const room = ctx.limit - read;
    read += chunk.length;
    if (chunk.length <= room) return void chunks.push(chunk);
    chunks.push(chunk.subarray(0, room));
    truncated = true;
    // Enough is read: the rest is not downloaded.
    res.destroy();
    finish();
  });
  res.on('end', () => {
    if (!truncated) finish();
  });
  res.on('error', (error) => {
    if (!truncated) resolve(ctx.stopped() ?? describeNetworkError(error, hop.url));
  });
  // A connection cut mid-body (or aborted) without an error event still settles.
  res.on('close', () => {
    if (!truncated && !res.complete) resolve(ctx.stopped() ?? describeNetworkError(Object.assign(new Error('the connection closed mid-response'), { code: 'ECONNRESET' }), hop.url));
  });
}

/** One HTTP exchange with the approved address; a redirect is returned, not followed. */
function sendHop(hop: Hop, ctx: HopContext): Promise<HopOutcome> {
  const pinned: LookupFunction = (_host, opts, callback) => {
    if (opts && typeof opts === 'object' && 'all' in opts && opts.all) (callback as (e: null, a: Address[]) => void)(null, [hop.target]);
    else callback(null, hop.target.address, hop.target.family);
  };
  return new Promise<HopOutcome>((resolve) => {
    const client = hop.url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...hop.headers };
    if (hop.body !== undefined) headers['content-length'] = String(Buffer.byteLength(hop.body));
    const options: https.RequestOptions = { method: hop.method, headers, lookup: pinned, signal: ctx.signal, agent: false };
    // Given a CA (tests), it is trusted besides the system's roots; verification stays on.
    if (hop.url.protocol === 'https:' && ctx.ca) options.ca = [...rootCertificates, ctx.ca];
    const req = client.request(hop.url, options, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.resume();
        resolve({ redirect: location, status });
      } else readBody(res, hop, ctx, resolve);
    });
    req.on('error', (error) => resolve(ctx.stopped() ?? describeNetworkError(error, hop.url)));
    if (hop.body !== undefined) req.write(hop.body);
    req.end();
  });
}

/** Where a redirect leads, or why it is not followed. */
function nextHop(hop: Hop, outcome: { redirect: string; status: number }, originalHost: string, count: number): URL | FireError {
  let next: URL;
  try {
    next = new URL(outcome.redirect, hop.url);
  } catch {
    return { kind: 'error', reason: 'redirect', message: `${hop.url.host} redirected to an invalid address (${outcome.redirect}).` };
  }
  if (next.hostname !== originalHost) {
    return { kind: 'error', reason: 'redirect', message: `${hop.url.host} redirected to another host (${next.host}); Parley does not follow redirects to other hosts, so the tool's secret is not sent there. Use the final address as the endpoint if it is right.` };
  }
  if (count >= MAX_REDIRECTS) return { kind: 'error', reason: 'redirect', message: `More than ${MAX_REDIRECTS} redirects; stopped at ${next.href}.` };
  return next;
}

const defaultTimer = (fire: () => void, ms: number) => {
  const t = setTimeout(fire, ms);
  return () => clearTimeout(t);
};

/** One request (and any same-host redirects), never throwing: every failure is a FireError. */
export async function fire(request: FireRequest, options: FireOptions): Promise<FireOutcome> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { kind: 'error', reason: 'invalid', message: `"${request.url}" is not a complete address (it needs https:// and a host).` };
  }
  const originalHost = url.hostname;
  const controller = new AbortController();
  let why: FireError | null = null;
  const stop = (error: FireError) => {
    why ??= error;
    controller.abort();
  };
  const timeoutMs = options.timeoutMs ?? TRY_TIMEOUT_MS;
  const clearTimer = (options.setTimer ?? defaultTimer)(() => stop({ kind: 'error', reason: 'timeout', message: `${url.host} did not answer within ${Math.round(timeoutMs / 1000)} s; the request was stopped.` }), timeoutMs);
  const onCancel = () => stop({ kind: 'error', reason: 'cancelled', message: 'The test-fire was cancelled.' });
  if (options.signal?.aborted) onCancel();
  options.signal?.addEventListener('abort', onCancel, { once: true });
  const ctx: HopContext = { signal: controller.signal, stopped: () => why, ca: options.ca, limit: options.maxBodyBytes ?? MAX_SHOWN_BODY_BYTES, latency: () => Math.max(0, now() - started) };
  let method = request.method;
  let body = request.body;
  try {
    for (let count = 0; ; count++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'error', reason: 'invalid', message: `Only http and https addresses can be called (${url.protocol}).` };
      const target = await resolveAllowed(url, options);
      if (why) return why;
      if ('kind' in target) return target;
      if (options.carriesSecret && url.protocol === 'http:' && !isPrivateAddress(target.address)) {
        return { kind: 'error', reason: 'invalid', message: `${url.host} is called over plain http: the tool's secret would travel unencrypted. Use the https:// address (plain http is allowed only to this computer or a private network).` };
      }
      const hop: Hop = { url, method, headers: request.headers, body, target };
      const outcome = await sendHop(hop, ctx);
      if (why) return why;
      if (!('redirect' in outcome)) return outcome;
      const next = nextHop(hop, outcome, originalHost, count);
      if ('kind' in next) return next;
      if (outcome.status === 303 || ((outcome.status === 301 || outcome.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      url = next;
    }
  } finally {
    clearTimer();
    options.signal?.removeEventListener('abort', onCancel);
  }
}
