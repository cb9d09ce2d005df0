import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import type { EventName, EventPayload, Handlers } from '../../shared/ipc';
import { ParleyError } from '../../shared/errors';
import { SESSION_SCHEMA_VERSION, Session } from '../../shared/session';
import { startServer, type RunningServer } from './server';
import { checkUpgrade } from './bridge';
import { parseTarget } from './target';
import { curlUpgrade, rawRequest } from '../../tests/helpers/raw-http';

type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

const SESSION_ID = '3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f';

/** A small in-memory backend: enough channels to exercise the bridge; the rest fail like a missing service would. */
function smallBackend() {
  const listeners = new Set<Listener>();
  const created: unknown[] = [];
  const handlers = {
    'app:info': async () => ({ name: 'Parley', version: '9.9.9', host: 'preview' as const, platform: 'linux', dataDir: '/tmp/x' }),
    'sessions:create': async (input: { provider?: string } | undefined) => {
      created.push(input);
      return Session.parse({
        schemaVersion: SESSION_SCHEMA_VERSION,
        id: SESSION_ID,
        title: 'New session',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        provider: input?.provider ?? 'auto',
        stage: 'INITIAL',
        stageHistory: [],
        awaiting: null,
        spec: { tools: [], candidates: {} },
        messages: [],
      });
    },
    'sessions:get': async () => {
      throw new ParleyError('NOT_FOUND', 'No such session.');
    },
    // Breaks the contract on purpose: output validation must catch it.
    'sessions:list': async () => ({ items: 'nope' }),
  } as unknown as Handlers;
  return {
    handlers,
    created,
    onEvent: (l: Listener) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit: ((event, payload) => listeners.forEach((l) => l(event, payload))) as Listener,
    listenerCount: () => listeners.size,
  };
}

function httpGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with the socket once open or with the HTTP status the upgrade was refused with. */
function connect(url: string, origin: string | undefined): Promise<{ ws?: WebSocket; refused?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode });
      res.resume();
    });
    ws.once('error', reject);
  });
}

class Client {
  private nextId = 1;
  readonly frames: unknown[] = [];
  private waiters: Array<() => void> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      this.waiters.splice(0).forEach((w) => w());
    });
  }
  async next(match: (f: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.frames.find((f) => match(f as Record<string, unknown>));
      if (found) {
        this.frames.splice(this.frames.indexOf(found), 1);
        return found as Record<string, unknown>;
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  async call(channel: string, input?: unknown) {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, channel, input }));
    return (await this.next((f) => f.id === id)).envelope as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  }
}

describe('preview server', () => {
  let dir: string;
  let server: RunningServer;
  let backend: ReturnType<typeof smallBackend>;
  let origin: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-preview-'));
    const root = join(dir, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Parley</title>');
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(root, 'assets', 'app.css'), 'body{}');
    await writeFile(join(dir, 'secret.txt'), 'outside the root');
    backend = smallBackend();
    server = await startServer({ rendererDir: root, port: 0, handlers: backend.handlers, onEvent: backend.onEvent, defaultProvider: 'offline', onInternalError: () => {} });
    origin = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a loopback URL carrying a long random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.port).toBeGreaterThan(0);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
  });

  it('is not reachable on other interfaces', async () => {
    const { networkInterfaces } = await import('node:os');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) return; // no non-loopback interface on this machine: nothing to reach
    const status = await new Promise<string>((resolve) => {
      const req = request({ host: external.address, port: server.port, path: '/', timeout: 2000 }, () => resolve('answered'));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      req.on('timeout', () => req.destroy());
      req.end();
    });
    expect(status).not.toBe('answered');
  });

  it('serves the renderer with the strict CSP and correct content types', async () => {
    const index = await httpGet(server.port, '/?token=abc');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws://127.0.0.1:${server.port}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.body).toContain('<title>Parley</title>');
    expect((await httpGet(server.port, '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await httpGet(server.port, '/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await httpGet(server.port, '/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside its root', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00', '/%E0%A4%80', '/assets']) {
      const res = await httpGet(server.port, path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('outside the root');
    }
    // A broken %-escape is not a path at all.
    expect((await httpGet(server.port, '/%E0%A4%A')).status).toBe(400);
  });

  // Issue 17.1: `curl --path-as-is -H "Origin: …" -H 'Connection: Upgrade' -H 'Upgrade: websocket' "http://127.0.0.1:$PORT//"`
  // threw "Invalid URL" from checkUpgrade before the token check and ended the host.
  it('answers 400 to upgrade requests whose target is not a path, without a token, and keeps serving', async () => {
    for (const target of ['//', 'http://[', '//evil.example/?token=x', '/\\evil.example/', '*', 'http://127.0.0.1/', '/a b', '/%zz']) {
      const reply = await rawRequest(server.port, curlUpgrade(server.port, target));
      expect(reply.status, `${target}: ${reply.text}`).toBe(400);
    }
    // The same targets on plain GETs.
    for (const target of ['//', 'http://[']) {
      const reply = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
      expect(reply.status, target).toBe(400);
    }
    expect((await httpGet(server.port, '/')).status).toBe(200);
    const { ws } = await connect(`ws://127.0.0.1:${server.port}/?token=${server.token}`, origin);
    expect(ws).toBeDefined();
    ws!.close();
  });

  it('refuses other methods and foreign Host headers', async () => {
    expect((await httpGet(server.port, '/', {}, 'POST')).status).toBe(405);
    expect((await httpGet(server.port, '/', { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await httpGet(server.port, '/', { host: `localhost:${server.port}` })).status).toBe(403);
  });

  it('checks the token before the Host, Origin and path, and never throws', () => {
    const req = (url: string | undefined, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as import('node:http').IncomingMessage;
    const self = { host: '127.0.0.1:9', origin: 'http://127.0.0.1:9' };
    expect(checkUpgrade(req('/?token=t', self), 9, 't')).toEqual({ ok: true });
    // No token: 401 whatever else is wrong; nothing about the host is revealed first.
    expect(checkUpgrade(req('/', { host: 'evil', origin: 'http://evil' }), 9, 't')).toMatchObject({ status: 401 });
    expect(checkUpgrade(req('/other?token=t', self), 9, 't')).toMatchObject({ status: 403 });
    expect(checkUpgrade(req('/?token=t', { ...self, origin: 'null' }), 9, 't')).toMatchObject({ status: 403 });
    for (const url of [undefined, '', '//', 'http://[', 'ws://127.0.0.1:9/?token=t', '/\\x', '/%', '/\u0000', '/' + 'a'.repeat(5000)]) {
      expect(checkUpgrade(req(url, self), 9, 't'), String(url)).toMatchObject({ ok: false, status: 400 });
    }
  });

  it('parses only origin-form targets', () => {
    expect(parseTarget('/')).toMatchObject({ pathname: '/' });
    expect(parseTarget('/assets/app.js?x=1&token=a%2Bb')?.query.get('token')).toBe('a+b');
    expect(parseTarget('/?token=%E0%A4%80')?.query.get('token')).toBe('\u0900');
    for (const bad of [undefined, '', '*', '//', '///x', 'http://[', 'x', '/\\', '/a b', '/%4', '/%G0', '/é', '/?token=%E0%A4%A']) expect(parseTarget(bad), String(bad)).toBeNull();
  });

  it('refuses the socket without the token, with a wrong token, or from another origin', async () => {
    const base = `ws://127.0.0.1:${server.port}/`;
    expect((await connect(base, origin)).refused).toBe(401);
    expect((await connect(`${base}?token=`, origin)).refused).toBe(401);
    expect((await connect(`${base}?token=${server.token.slice(0, -1)}x`, origin)).refused).toBe(401);
    expect((await connect(`${base}?token=${server.token}`, 'http://evil.example')).refused).toBe(403);
    expect((await connect(`${base}?token=${server.token}`, undefined)).refused).toBe(403);
    expect((await connect(`ws://127.0.0.1:${server.port}/other?token=${server.token}`, origin)).refused).toBe(403);
  });

  it('answers requests through the contract, with typed errors', async () => {
    const { ws } = await connect(`ws://127.0.0.1:${server.port}/?token=${server.token}`, origin);
    const client = new Client(ws!);
    try {
      const info = await client.call('app:info');
      expect(info).toEqual({ ok: true, value: { name: 'Parley', version: '9.9.9', host: 'preview', platform: 'linux', dataDir: '/tmp/x' } });

      expect((await client.call('nope:nope')).error?.code).toBe('UNKNOWN_CHANNEL');
      expect((await client.call('sessions:get', { id: '../etc' })).error?.code).toBe('INVALID_INPUT');
      expect((await client.call('sessions:get', { id: SESSION_ID })).error).toEqual({ code: 'NOT_FOUND', message: 'No such session.' });
      expect((await client.call('sessions:list')).error?.code).toBe('INTERNAL');
    } finally {
      ws!.close();
    }
  });

  it('fills in the default provider for new sessions unless the renderer picks one', async () => {
    const { ws } = await connect(`ws://127.0.0.1:${server.port}/?token=${server.token}`, origin);
    const client = new Client(ws!);
    try {
      backend.created.length = 0;
      const a = await client.call('sessions:create');
      const b = await client.call('sessions:create', {});
      const c = await client.call('sessions:create', { provider: 'openai' });
      expect(backend.created).toEqual([{ provider: 'offline' }, { provider: 'offline' }, { provider: 'openai' }]);
      expect((a.value as { provider: string }).provider).toBe('offline');
      expect(b.ok && c.ok).toBe(true);
      // Still validated: extra keys are rejected even though the bridge touched the input.
      expect((await client.call('sessions:create', { evil: 1 })).error?.code).toBe('INVALID_INPUT');
    } finally {
      ws!.close();
    }
  });

  it('answers malformed frames with a typed error and keeps the connection', async () => {
    const { ws } = await connect(`ws://127.0.0.1:${server.port}/?token=${server.token}`, origin);
    const client = new Client(ws!);
    try {
      for (const raw of ['not json', '[1,2]', 'null', '{"channel":"app:info"}', '{"id":{},"channel":"app:info"}']) {
        ws!.send(raw);
        const reply = await client.next((f) => f.id === null);
        expect((reply.envelope as { error: { code: string } }).error.code, raw).toBe('INVALID_INPUT');
      }
      ws!.send(Buffer.from([1, 2, 3]), { binary: true });
      expect(((await client.next((f) => f.id === null)).envelope as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
      expect((await client.call('app:info')).ok).toBe(true);
    } finally {
      ws!.close();
    }
  });

  it('pushes backend events to every connected page', async () => {
    const a = await connect(`ws://127.0.0.1:${server.port}/?token=${server.token}`, origin);
    const b = await connect(`ws://127.0.0.1:${server.port}/?token=${server.token}`, origin);
    const ca = new Client(a.ws!);
    const cb = new Client(b.ws!);
    try {
      await ca.call('app:info'); // both sockets are fully registered once they have been answered
      await cb.call('app:info');
      backend.emit('turn:delta', { turnId: 't1', sessionId: SESSION_ID, text: 'Hel' });
      backend.emit('turn:delta', { turnId: 't1', sessionId: SESSION_ID, text: 'lo' });
      for (const c of [ca, cb]) {
        expect(await c.next((f) => f.event === 'turn:delta')).toEqual({ event: 'turn:delta', payload: { turnId: 't1', sessionId: SESSION_ID, text: 'Hel' } });
        expect((await c.next((f) => f.event === 'turn:delta')).payload).toMatchObject({ text: 'lo' });
      }
    } finally {
      a.ws!.close();
      b.ws!.close();
    }
  });

  it('answers 404 when the renderer is not built, instead of ending the host with an unhandled rejection', async () => {
    const other = smallBackend();
    const s = await startServer({ rendererDir: join(dir, 'not-built'), handlers: other.handlers, onEvent: other.onEvent });
    try {
      // Let the failed realpath of the missing folder settle first: it used to reject unobserved.
      await new Promise((r) => setImmediate(r));
      expect((await httpGet(s.port, '/')).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('closes cleanly and stops listening to the backend', async () => {
    const other = smallBackend();
    const s = await startServer({ rendererDir: dir, handlers: other.handlers, onEvent: other.onEvent });
    const { ws } = await connect(`ws://127.0.0.1:${s.port}/?token=${s.token}`, `http://127.0.0.1:${s.port}`);
    const closed = new Promise<number>((r) => ws!.once('close', (code) => r(code)));
    expect(other.listenerCount()).toBe(1);
    await s.close();
    expect(await closed).toBe(1001);
    expect(other.listenerCount()).toBe(0);
    await expect(httpGet(s.port, '/')).rejects.toThrow();
  });
});
