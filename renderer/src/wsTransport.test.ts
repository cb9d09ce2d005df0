import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { createWsTransport, type ConnectionStatus, type WsTransport } from './wsTransport';
import { buildParleyApi } from '../../shared/client';
import { ParleyError } from '../../shared/errors';

/** A real WebSocket server speaking the bridge's frames; `mode` decides how it answers. */
async function server(maxPayload?: number) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...(maxPayload ? { maxPayload } : {}) });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const sockets: ServerSocket[] = [];
  const state = { mode: 'answer' as 'answer' | 'hang', connections: 0 };
  wss.on('connection', (ws) => {
    state.connections++;
    sockets.push(ws);
    ws.on('error', () => {}); // a frame over maxPayload: ws closes with 1009 and reports it here
    ws.on('message', (data) => {
      const { id, channel, input } = JSON.parse(String(data)) as { id: number; channel: string; input: unknown };
      if (state.mode === 'hang') return;
      ws.send(JSON.stringify({ id, envelope: { ok: true, value: { channel, input } } }));
    });
  });
  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}/?token=t`,
    state,
    sockets,
    broadcast: (frame: unknown) => sockets.forEach((s) => s.send(JSON.stringify(frame))),
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.terminate()), wss.close(() => r()))),
  };
}

// jsdom's own WebSocket does not run under Vitest's globals; the ws client has the same browser API.
// Real Chromium drives the browser's WebSocket in tests/e2e.
const WebSocketImpl = NodeWebSocket as unknown as typeof WebSocket;

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function track(t: WsTransport) {
  const seen: ConnectionStatus[] = [];
  t.onStatus((s) => seen.push(s));
  cleanup.push(() => t.close());
  return seen;
}

describe('WebSocket transport', () => {
  it('queues requests until the socket opens, then answers each by id', async () => {
    const srv = await server();
    cleanup.push(srv.close);
    const t = createWsTransport({ url: srv.url, WebSocketImpl });
    track(t);
    const [a, b] = await Promise.all([t.invoke('app:info', undefined), t.invoke('sessions:list', { search: 'x' })]);
    expect(a).toEqual({ ok: true, value: { channel: 'app:info' } });
    expect(b).toEqual({ ok: true, value: { channel: 'sessions:list', input: { search: 'x' } } });
    expect(t.status).toBe('open');
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const srv = await server();
    cleanup.push(srv.close);
    const t = createWsTransport({ url: srv.url, WebSocketImpl });
    track(t);
    await t.invoke('app:info', undefined);
    const got: unknown[] = [];
    const off = t.subscribe('turn:delta', (p) => got.push(p));
    srv.broadcast({ event: 'turn:delta', payload: { text: 'a' } });
    srv.broadcast({ event: 'turn:done', payload: { text: 'ignored' } });
    srv.broadcast({ event: 'turn:delta', payload: { text: 'b' } });
    await until(() => got.length === 2);
    off();
    srv.broadcast({ event: 'turn:delta', payload: { text: 'c' } });
    await t.invoke('app:info', undefined); // frames arrive in order: c has been handled by now
    expect(got).toEqual([{ text: 'a' }, { text: 'b' }]);
  });

  it('fails requests in flight with a typed error when the socket drops, then reconnects', async () => {
    const srv = await server();
    cleanup.push(srv.close);
    const t = createWsTransport({ url: srv.url, WebSocketImpl, initialDelayMs: 10 });
    const seen = track(t);
    const api = buildParleyApi(t);
    await api.app.info();
    srv.state.mode = 'hang';
    const pending = api.app.info();
    await until(() => srv.sockets.length === 1);
    srv.sockets[0]!.terminate();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyError);
    expect((error as ParleyError).code).toBe('DISCONNECTED');
    expect((error as ParleyError).message).toMatch(/connection to Parley was lost/);

    srv.state.mode = 'answer';
    await until(() => t.status === 'open');
    expect(seen).toEqual(['open', 'reconnecting', 'open']);
    expect(srv.state.connections).toBe(2);
    expect(await api.app.info()).toEqual({ channel: 'app:info' });
  });

  // Issue 17.11: the host closes with 1009 when a frame is over its limit; that is not a lost connection.
  it('says "too large" when the host refuses a message over its size limit (close code 1009)', async () => {
    const srv = await server(1000);
    cleanup.push(srv.close);
    const t = createWsTransport({ url: srv.url, WebSocketImpl, initialDelayMs: 10 });
    track(t);
    const api = buildParleyApi(t);
    await api.app.info();
    const error = await api.sessions.import({ text: 'x'.repeat(5000) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyError);
    expect((error as ParleyError).code).toBe('INVALID_INPUT');
    expect((error as ParleyError).message).toMatch(/too large/);
    expect((error as ParleyError).message).not.toMatch(/connection to Parley was lost/);
    // It reconnects as after any close.
    await until(() => t.status === 'open' && srv.state.connections === 2);
    expect(await api.app.info()).toEqual({ channel: 'app:info' });
  });

  it('fails a request over the frame limit at once, without closing the socket other requests share', async () => {
    const srv = await server();
    cleanup.push(srv.close);
    const t = createWsTransport({ url: srv.url, WebSocketImpl, maxFrameBytes: 4000 });
    track(t);
    await t.invoke('app:info', undefined);
    srv.state.mode = 'hang';
    const waiting = t.invoke('app:info', undefined);
    // 1,400 characters of three UTF-8 bytes each: under the limit in characters, over it in bytes.
    const big = await t.invoke('sessions:import', { text: '\u20ac'.repeat(1400) });
    expect(big).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!big.ok && big.error.message).toMatch(/too large.*preview connection/);
    srv.state.mode = 'answer';
    srv.sockets[0]!.send(JSON.stringify({ id: 2, envelope: { ok: true, value: 'late' } }));
    expect(await waiting).toEqual({ ok: true, value: 'late' });
    expect(srv.state.connections).toBe(1);
    expect(t.status).toBe('open');
  });

  it('stops for good on close', async () => {
    const srv = await server();
    cleanup.push(srv.close);
    const t = createWsTransport({ url: srv.url, WebSocketImpl, initialDelayMs: 10 });
    await t.invoke('app:info', undefined);
    t.close();
    await until(() => t.status === 'closed');
    expect(await t.invoke('app:info', undefined)).toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } });
    await new Promise((r) => setTimeout(r, 50));
    expect(srv.state.connections).toBe(1);
  });
});
