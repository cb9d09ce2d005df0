/**
 * Hostile input on every channel of the contract: generated payloads (wrong types, huge strings,
 * prototype-pollution keys, deep nesting, NaN, negative sizes) through the shared dispatcher and
 * through bindIpc with a fake Electron, and a smaller number through the real preview bridge.
 * Every call must answer a typed envelope (never INTERNAL, never a throw past the binder), every
 * event must match its schema, and Object.prototype must be unchanged afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS, events, type Channel } from '../../shared/ipc';
import { Envelope, ERROR_CODES } from '../../shared/errors';
import { MAX_PREVIEW_FRAME_BYTES } from '../../shared/limits';
import { createBackend, type Backend } from '../../electron/backend';
import { bindIpc, trustedSender, type SenderEvent, type TrustedWindow } from '../../electron/ipc';
import { dispatch } from '../../electron/rpc';
import { createNodeSecretStore } from '../../electron/secrets';
import { createFakeElectron, FakeSession, FakeWebContents } from '../security/fake-electron';
import { startMockLlmServer, type MockLlmServer } from '../helpers/mock-llm-server';
import { BridgeClient, scale, startHost, type HostProcess } from './support/processes';
import { record } from './support/figures';

vi.mock('electron', () => ({ ipcMain: { handle: () => {}, removeHandler: () => {} } }));

const RUNS = scale(1000, 5000);
const BRIDGE_RUNS = scale(40, 400);

const dirs: string[] = [];
let mock: MockLlmServer;
beforeAll(async () => {
  mock = await startMockLlmServer();
  mock.fallbackStep = { openai: { type: 'error', status: 401, message: 'bad key' }, anthropic: { type: 'error', status: 401, message: 'bad key' } };
});
afterAll(async () => {
  await mock.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const POLLUTERS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', 'toString', 'valueOf'];

/** Objects whose own keys are the dangerous names, built the way JSON.parse builds them. */
const pollutingObject = fc
  .tuple(fc.constantFrom(...POLLUTERS), fc.constantFrom<unknown>({ polluted: 'yes' }, 'x', 1, null, [1], { toString: 'no' }))
  .map(([key, value]) => JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value)}}`) as Record<string, unknown>);

const deep = fc.integer({ min: 50, max: 3000 }).map((depth) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
});

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withUnicodeString: true }),
  fc.constantFrom(NaN, -1, -0, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e-308, 2 ** 31, '', ' ', '\u0000', '../../etc/passwd', 'C:\\Windows\\system32', 'CON', 'NUL:', null, undefined, true, [], {}),
  fc.integer({ min: 1000, max: 30000 }).map((n) => 'A'.repeat(n * 35)),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  pollutingObject,
  deep,
);

/** A valid input per channel (where one exists), so mutations reach past the first check. */
function validSample(channel: Channel, ids: { session: string; turn: string }): unknown {
  const samples: Record<string, unknown> = {
    'sessions:create': { provider: 'offline' },
    'sessions:list': { search: 'booking', offset: 0, limit: 10 },
    'sessions:get': { id: ids.session },
    'sessions:delete': { id: ids.session },
    'sessions:rename': { id: ids.session, title: 'Renamed' },
    'sessions:duplicate': { id: ids.session },
    'sessions:restore': { id: ids.session },
    'sessions:import': { text: '{"name": "x"}' },
    'export:preview': { sessionId: ids.session, format: 'parley' },
    'export:save': { sessionId: ids.session, format: 'markdown' },
    'turn:send': { sessionId: ids.session, text: 'A booking agent' },
    'turn:cancel': { turnId: ids.turn },
    'spec:edit': { sessionId: ids.session, path: 'tone', value: 'warm' },
    'spec:lock': { sessionId: ids.session, path: 'tone', locked: true },
    'spec:generated': { sessionId: ids.session },
    'spec:regenerate': { sessionId: ids.session, path: 'system_prompt' },
    'stage:goto': { sessionId: ids.session, stage: 'COLLECTING_BASICS' },
    'settings:set': { temperature: 0.5 },
    'keys:set': { provider: 'openai', key: 'sk-fuzz-0123456789' },
    'keys:clear': { provider: 'anthropic' },
    'keys:test': { provider: 'openai', key: 'sk-fuzz-0123456789' },
    'templates:get': { name: 'dental-appointments' },
    'templates:start': { name: 'dental-appointments', provider: 'offline' },
    'templates:save': { sessionId: ids.session, name: 'fuzz-template', title: 'Fuzz' },
    'templates:import': { text: '{"format": "parley-template"}' },
    'templates:export': { name: 'dental-appointments' },
  };
  return samples[channel];
}

function payloads(channel: Channel, ids: { session: string; turn: string }): fc.Arbitrary<unknown> {
  const sample = validSample(channel, ids);
  if (!sample || typeof sample !== 'object') return hostile;
  const keys = Object.keys(sample);
  const replaceOne = fc.tuple(fc.constantFrom(...keys), hostile).map(([k, v]) => ({ ...(sample as object), [k]: v }));
  const addOne = fc.tuple(fc.constantFrom(...POLLUTERS, 'extra'), hostile).map(([k, v]) => {
    const copy = JSON.parse(JSON.stringify(sample)) as Record<string, unknown>;
    Object.defineProperty(copy, k, { value: v, enumerable: true, configurable: true, writable: true });
    return copy;
  });
  return fc.oneof(hostile, replaceOne, addOne, fc.constant(sample));
}

function prototypeSnapshot(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((p) => Object.getOwnPropertyNames(p).sort().join(','))
    .join('|');
}

async function makeBackend(dataDir: string): Promise<{ backend: Backend; badEvents: string[] }> {
  const backend = await createBackend({
    dataDir,
    host: 'electron',
    version: '0.0.0-fuzz',
    secrets: await createNodeSecretStore({ dataDir, env: {} }),
    dialogs: { chooseSavePath: async (name: string) => join(dataDir, 'exports', `${Date.now()}-${name}`) },
  } as Parameters<typeof createBackend>[0]);
  await backend.settings.set({ baseURLs: { openai: mock.openaiBaseURL, anthropic: mock.anthropicBaseURL }, timeoutMs: 2000 });
  const badEvents: string[] = [];
  backend.onEvent((event, payload) => {
    const schema = events[event];
    if (!schema || !schema.safeParse(payload).success) badEvents.push(`${event}: ${JSON.stringify(payload).slice(0, 200)}`);
  });
  return { backend, badEvents };
}

function checkEnvelope(channel: string, envelope: unknown, problems: string[]): void {
  const parsed = Envelope.safeParse(envelope);
  if (!parsed.success) return void problems.push(`${channel}: not an envelope: ${JSON.stringify(envelope).slice(0, 200)}`);
  const e = parsed.data;
  if (!e.ok) {
    if (!ERROR_CODES.includes(e.error.code)) problems.push(`${channel}: unknown error code ${e.error.code}`);
    if (e.error.code === 'INTERNAL') problems.push(`${channel}: INTERNAL: ${e.error.message.slice(0, 300)}`);
  }
}

describe('IPC fuzzing through dispatch and bindIpc', () => {
  it(`answers ${RUNS} generated payloads per channel with a typed envelope and leaves Object.prototype alone`, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-rel-fuzz-'));
    dirs.push(dataDir);
    const { backend, badEvents } = await makeBackend(dataDir);
    const internal: unknown[] = [];
    const contents = new FakeWebContents(new FakeSession());
    contents.mainFrame.url = 'app://parley/index.html';
    const win: TrustedWindow = { isDestroyed: () => false, webContents: contents as unknown as TrustedWindow['webContents'] };
    const electron = createFakeElectron();
    const unbind = bindIpc({
      ipcMain: electron.ipcMain as never,
      handlers: backend.handlers,
      isTrustedSender: trustedSender(() => win, 'app://parley'),
      validateOutput: true,
      onInternalError: (_c, e) => internal.push(e),
    });
    const sender = { sender: contents, senderFrame: contents.mainFrame } as unknown as SenderEvent;
    const before = prototypeSnapshot();
    const problems: string[] = [];
    let total = 0;

    for (const channel of CHANNELS) {
      // A fresh live session per channel, so valid-shaped payloads reach the service.
      const seed = await dispatch(backend.handlers, 'sessions:create', { provider: 'offline' });
      const session = seed.ok ? (seed.value as { id: string }).id : '00000000-0000-4000-8000-000000000000';
      const ids = { session, turn: '00000000-0000-4000-8000-00000000beef' };
      await fc.assert(
        fc.asyncProperty(payloads(channel, ids), fc.boolean(), async (input, viaIpc) => {
          total++;
          let envelope: unknown;
          try {
            envelope = viaIpc
              ? await electron.ipcMain.invoke(channel, sender, input)
              : await dispatch(backend.handlers, channel, input, { validateOutput: true, onInternalError: (_c, e) => internal.push(e) });
          } catch (error) {
            problems.push(`${channel}: threw past the ${viaIpc ? 'binder' : 'dispatcher'}: ${(error as Error).message}`);
            return;
          }
          checkEnvelope(channel, envelope, problems);
          if (({} as Record<string, unknown>).polluted !== undefined) problems.push(`${channel}: Object.prototype polluted`);
        }),
        { numRuns: RUNS, seed: 11, endOnFailure: true },
      );
      if (problems.length > 30) break;
    }
    // Unknown channels and foreign senders are refused with their own codes.
    const unknown = await electron.ipcMain.invoke('sessions:create', { sender: {}, senderFrame: null } as unknown as SenderEvent, {});
    expect((unknown as { error: { code: string } }).error.code).toBe('FORBIDDEN_SENDER');
    const notAChannel = await dispatch(backend.handlers, '__proto__', {});
    expect(notAChannel.ok ? null : notAChannel.error.code).toBe('UNKNOWN_CHANNEL');

    unbind();
    await backend.close();
    expect(problems.slice(0, 30)).toEqual([]);
    expect(internal).toEqual([]);
    expect(badEvents).toEqual([]);
    expect(prototypeSnapshot()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(total).toBe(RUNS * CHANNELS.length);
    await record('fuzz.payloadsPerChannel', RUNS);
    await record('fuzz.ipcPayloads', total);
  }, scale(300_000, 1_200_000));
});

/**
 * Opens the bridge's socket by hand and sends the header of a text frame announcing `length`
 * bytes (masked, as a client must), then resolves with the close code the host answers with.
 */
function oversizedFrame(port: number, token: string, length: number): Promise<number> {
  return new Promise((resolveCode, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    socket.on('error', reject);
    socket.on('connect', () => {
      socket.write(
        [
          `GET /?token=${encodeURIComponent(token)} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          `Origin: http://127.0.0.1:${port}`,
          'Connection: Upgrade',
          'Upgrade: websocket',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.on('data', (data: Buffer) => {
      buffered = Buffer.concat([buffered, data]);
      if (!upgraded) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) return;
        if (!buffered.subarray(0, 12).toString().startsWith('HTTP/1.1 101')) return reject(new Error(buffered.toString()));
        upgraded = true;
        buffered = buffered.subarray(end + 4);
        const header = Buffer.alloc(14);
        header[0] = 0x81; // FIN, text
        header[1] = 0x80 | 127; // masked, 64-bit length follows
        header.writeBigUInt64BE(BigInt(length), 2);
        socket.write(header); // the 4-byte mask key is in the last 4 bytes (zeros)
      }
      // The host's close frame: 0x88, payload length, then the code.
      if (buffered.length >= 4 && buffered[0] === 0x88) {
        resolveCode(buffered.readUInt16BE(2));
        socket.destroy();
      }
    });
  });
}

describe('the preview bridge over a real socket', () => {
  let host: HostProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-rel-bridge-'));
    dirs.push(dataDir);
    host = await startHost(dataDir);
  });
  afterAll(async () => {
    await host.kill('SIGTERM');
  });

  const upgrade = (path: string, headers: Record<string, string>) =>
    new Promise<number | 'open'>((resolveStatus) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, { headers });
      ws.once('open', () => {
        ws.terminate();
        resolveStatus('open');
      });
      ws.once('unexpected-response', (_req, res) => {
        resolveStatus(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('error', () => resolveStatus(0));
    });

  it('refuses a missing or wrong token, a foreign or missing Origin, and a foreign Host', async () => {
    const origin = `http://127.0.0.1:${host.port}`;
    const good = `/?token=${encodeURIComponent(host.token)}`;
    expect(await upgrade(good, { Origin: origin })).toBe('open');
    expect(await upgrade('/', { Origin: origin })).toBe(401);
    expect(await upgrade('/?token=', { Origin: origin })).toBe(401);
    // A token one character off (never the same character, or the "wrong" token would be right).
    expect(await upgrade(`/?token=${host.token.slice(0, -1)}${host.token.endsWith('A') ? 'B' : 'A'}`, { Origin: origin })).toBe(401);
    expect(await upgrade(good, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade(good, { Origin: `http://localhost:${host.port}` })).toBe(403);
    expect(await upgrade(good, { Origin: 'null' })).toBe(403);
    expect(await upgrade(good, {})).toBe(403);
    expect(await upgrade(good, { Origin: origin, Host: `evil.example:${host.port}` })).toBe(403);
  });

  it('closes the socket on a frame over the size limit, and keeps serving others', async () => {
    // Only the frame's header is sent: it announces one byte over the limit, which is refused on sight.
    expect(await oversizedFrame(host.port, host.token, MAX_PREVIEW_FRAME_BYTES + 1)).toBe(1009);
    const again = await BridgeClient.connect(host);
    const reply = await again.request('app:info');
    expect(reply.ok).toBe(true);
    again.close();
  });

  it(`answers ${BRIDGE_RUNS} generated frames per channel with {id, envelope}, and stays up`, async () => {
    const client = await BridgeClient.connect(host);
    const seed = await client.request('sessions:create', { provider: 'offline' });
    const session = seed.ok ? (seed.value as { id: string }).id : '';
    const problems: string[] = [];
    let total = 0;
    for (const channel of CHANNELS) {
      await fc.assert(
        fc.asyncProperty(payloads(channel, { session, turn: '00000000-0000-4000-8000-00000000beef' }), async (input) => {
          total++;
          // JSON is what crosses the socket: undefined/NaN/BigInt become what JSON makes of them.
          let frame: string;
          try {
            frame = JSON.stringify({ id: total, channel, input });
          } catch {
            // BigInt, cycles, null-prototype objects with odd keys: send what a page could, a string.
            frame = JSON.stringify({ id: total, channel, input: Object.prototype.toString.call(input) });
          }
          if (frame.length > 900_000) return;
          const envelope = await client.send(frame, total);
          checkEnvelope(channel, envelope, problems);
        }),
        { numRuns: BRIDGE_RUNS, seed: 12, endOnFailure: true },
      );
    }
    // Frames that are not requests at all.
    for (const raw of ['', 'null', '[]', '{"id": {}}', '{"id": 1e400}', '{"__proto__": {"id": 5}}', '\u0000', '{'.repeat(10000)]) {
      client.ws.send(raw);
    }
    const info = await client.request('app:info');
    expect(info.ok).toBe(true);
    client.close();
    expect(problems.slice(0, 30)).toEqual([]);
    expect(host.child.exitCode).toBeNull();
    await record('fuzz.bridgeFrames', total);
  }, scale(300_000, 1_200_000));
});
