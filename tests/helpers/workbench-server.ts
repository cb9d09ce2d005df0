import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';

/**
 * A real API for the tool workbench's tests, over HTTP and HTTPS. The HTTPS side's certificate is
 * signed by a certificate authority made here, per run: only a test that passes `ca` trusts it.
 *
 *   GET    /orders/{id}?include=items   path + query; needs "Authorization: Bearer <token>" (or X-Partner-Key)
 *   POST   /orders                      nested JSON body → 201 with the order
 *   DELETE /orders/{id}                 → 204
 *   GET    /catalog/{sku}?currency=     no auth (the browser test's API)
 *   GET    <any path in `files`>        that file's text (an API description to import by address)
 * and, for the safety checks: /big (5 MB), /slow (never answers), /redirect-same, /redirect-other,
 * /echo-auth (sends the Authorization header back).
 */

export interface TestCa {
  /** PEM of the CA certificate: what a test trusts. */
  ca: string;
  key: string;
  cert: string;
}

function forgeKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

function serial(): string {
  // Positive: the first hex digit below 8.
  return `0${randomBytes(8).toString('hex')}`;
}

/** A throwaway CA and a certificate for localhost / 127.0.0.1 signed by it. */
export function makeTestCa(): TestCa {
  const now = new Date();
  const later = new Date(now.getTime() + 24 * 3600 * 1000);
  const caKeys = forgeKeys();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serial();
  ca.validity.notBefore = new Date(now.getTime() - 60_000);
  ca.validity.notAfter = later;
  const caName = [{ name: 'commonName', value: 'Parley workbench test CA' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const leafKeys = forgeKeys();
  const leaf = forge.pki.createCertificate();
  leaf.publicKey = leafKeys.publicKey;
  leaf.serialNumber = serial();
  leaf.validity.notBefore = new Date(now.getTime() - 60_000);
  leaf.validity.notAfter = later;
  leaf.setSubject([{ name: 'commonName', value: 'localhost' }]);
  leaf.setIssuer(caName);
  leaf.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
  ]);
  leaf.sign(caKeys.privateKey, forge.md.sha256.create());
  return { ca: forge.pki.certificateToPem(ca), key: forge.pki.privateKeyToPem(leafKeys.privateKey), cert: forge.pki.certificateToPem(leaf) };
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface WorkbenchServer {
  httpUrl: string;
  httpsUrl: string;
  ca: string;
  /** Every request received, in order. */
  seen: SeenRequest[];
  close(): Promise<void>;
}

export const BIG_BYTES = 5 * 1024 * 1024;

export async function startWorkbenchServer(options: { token: string; partnerKey?: string; tls?: TestCa; files?: Record<string, string> }): Promise<WorkbenchServer> {
  const tls = options.tls ?? makeTestCa();
  const seen: SeenRequest[] = [];
  const orders = new Map<string, unknown>([['A-1001', { id: 'A-1001', status: 'paid', total: { amount: 42.5, currency: 'EUR' }, placed_at: '2026-01-15T10:30:00Z' }]]);
  const hanging = new Set<http.ServerResponse>();
  let httpUrl = '';

  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (status: number, value: unknown) => {
        const text = JSON.stringify(value);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      const authorized = req.headers.authorization === `Bearer ${options.token}` || (options.partnerKey !== undefined && req.headers['x-partner-key'] === options.partnerKey);
      const order = /^\/orders\/([^/]+)$/.exec(url.pathname);
      const file = options.files?.[url.pathname];
      if (file !== undefined) {
        res.writeHead(200, { 'content-type': url.pathname.endsWith('.json') ? 'application/json' : 'text/yaml' });
        res.end(file);
      } else if (url.pathname === '/big') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': BIG_BYTES });
        const piece = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < BIG_BYTES) {
            sent += piece.length;
            if (!res.write(piece)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
      } else if (url.pathname === '/slow') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
      } else if (url.pathname === '/redirect-same') {
        res.writeHead(302, { location: '/orders/A-1001?include=items' }).end();
      } else if (url.pathname === '/redirect-other') {
        // localhost and 127.0.0.1 are different hosts to a client, though the same machine.
        res.writeHead(302, { location: httpUrl.replace('127.0.0.1', 'localhost') + '/orders/A-1001' }).end();
      } else if (url.pathname.startsWith('/catalog/') && req.method === 'GET') {
        const sku = decodeURIComponent(url.pathname.slice('/catalog/'.length));
        json(200, { sku, name: 'Green tea', price: { amount: 4.5, currency: url.searchParams.get('currency') ?? 'EUR' }, in_stock: true, tags: ['tea'] });
      } else if (url.pathname === '/echo-auth') {
        json(200, { you_sent: req.headers.authorization ?? null });
      } else if (!authorized && url.pathname.startsWith('/orders')) {
        json(401, { message: 'missing or wrong token' });
      } else if (order && req.method === 'GET') {
        const found = orders.get(decodeURIComponent(order[1]!));
        if (!found) return json(404, { message: 'no such order' });
        const include = url.searchParams.get('include');
        json(200, include === 'items' ? { ...(found as object), items: [{ sku: 'TEA-1', quantity: 2 }], loyalty_points: 12 } : found);
      } else if (url.pathname === '/orders' && req.method === 'POST') {
        let parsed: { customer?: { name?: string }; items?: unknown[] };
        try {
          parsed = JSON.parse(body) as typeof parsed;
        } catch {
          return json(400, { message: 'body is not JSON' });
        }
        if (!parsed.customer?.name || !Array.isArray(parsed.items)) return json(422, { message: 'customer.name and items are required' });
        const id = `A-${1000 + orders.size + 1}`;
        const created = { id, status: 'pending', total: { amount: 10, currency: 'EUR' }, customer: parsed.customer, items: parsed.items };
        orders.set(id, created);
        json(201, created);
      } else if (order && req.method === 'DELETE') {
        orders.delete(decodeURIComponent(order[1]!));
        res.writeHead(204).end();
      } else json(404, { message: 'not found' });
    });
  };

  const plain = http.createServer(handler);
  const secure = https.createServer({ key: tls.key, cert: tls.cert }, handler);
  await Promise.all([new Promise<void>((r) => plain.listen(0, '127.0.0.1', r)), new Promise<void>((r) => secure.listen(0, '127.0.0.1', r))]);
  httpUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  const httpsUrl = `https://localhost:${(secure.address() as AddressInfo).port}`;
  return {
    httpUrl,
    httpsUrl,
    ca: tls.ca,
    seen,
    async close() {
      for (const res of hanging) res.destroy();
      plain.closeAllConnections();
      secure.closeAllConnections();
      await Promise.all([new Promise((r) => plain.close(r)), new Promise((r) => secure.close(r))]);
    },
  };
}
