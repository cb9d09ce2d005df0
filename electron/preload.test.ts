import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import vm from 'node:vm';
import { build } from 'vite';
import { CHANNELS, EVENTS, channelPath } from '../shared/ipc';
import type { Envelope } from '../shared/errors';

/**
 * Builds the real preload bundle (the file Electron loads) and runs it in a fresh V8 context
 * whose only module is a fake 'electron', the way a sandboxed preload runs: anything else it
 * tried to require, or anything extra it exposed, would show up here.
 */

type Listener = (event: unknown, payload: unknown) => void;

interface Harness {
  exposed: Array<[string, unknown]>;
  required: string[];
  invokes: Array<[string, unknown]>;
  listeners: Map<string, Set<Listener>>;
  reply: (channel: string, input: unknown) => Envelope;
  ipcRenderer: object;
}

let outDir: string;
let code: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'parley-preload-'));
  await build({ configFile: 'vite.config.ts', mode: 'preload', logLevel: 'silent', build: { outDir, sourcemap: false } });
  code = await readFile(join(outDir, 'preload.cjs'), 'utf8');
}, 120_000);
afterAll(() => rm(outDir, { recursive: true, force: true }));

function run(): Harness {
  const h: Harness = {
    exposed: [],
    required: [],
    invokes: [],
    listeners: new Map(),
    reply: () => ({ ok: true, value: null }),
    ipcRenderer: {},
  };
  const ipcRenderer = {
    invoke: async (channel: string, input: unknown) => {
      h.invokes.push([channel, input]);
      return h.reply(channel, input);
    },
    on: (event: string, listener: Listener) => {
      if (!h.listeners.has(event)) h.listeners.set(event, new Set());
      h.listeners.get(event)!.add(listener);
      return ipcRenderer;
    },
    removeListener: (event: string, listener: Listener) => {
      h.listeners.get(event)?.delete(listener);
      return ipcRenderer;
    },
    send: () => {
      throw new Error('the preload must not use ipcRenderer.send');
    },
    sendSync: () => {
      throw new Error('the preload must not use ipcRenderer.sendSync');
    },
  };
  h.ipcRenderer = ipcRenderer;
  const contextBridge = {
    exposeInMainWorld: (key: string, api: unknown) => h.exposed.push([key, api]),
  };
  const module = { exports: {} };
  const sandbox = {
    module,
    exports: module.exports,
    require: (name: string) => {
      h.required.push(name);
      if (name === 'electron') return { contextBridge, ipcRenderer };
      throw new Error(`sandboxed preloads cannot require "${name}"`);
    },
    console,
  };
  vm.runInNewContext(code, sandbox, { filename: 'preload.cjs' });
  return h;
}

/** Every value reachable from the exposed API (own properties, prototypes of non-functions, closures aside). */
function reachable(root: unknown): unknown[] {
  const seen = new Set<unknown>();
  const stack = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) continue;
    seen.add(v);
    for (const key of Reflect.ownKeys(v as object)) {
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (d && 'value' in d) stack.push(d.value);
    }
  }
  return [...seen];
}

describe('preload bundle', () => {
  it('requires nothing but electron and exposes exactly one object, "parley"', () => {
    const h = run();
    expect(new Set(h.required)).toEqual(new Set(['electron']));
    expect(h.exposed.map(([k]) => k)).toEqual(['parley']);
  });

  it('exposes exactly the contract: its namespaces plus on, and every channel as a method', () => {
    const [, api] = run().exposed[0]!;
    const expected = new Map<string, Set<string>>();
    for (const channel of CHANNELS) {
      const [ns, method] = channelPath(channel);
      if (!expected.has(ns)) expected.set(ns, new Set());
      expected.get(ns)!.add(method);
    }
    const obj = api as Record<string, unknown>;
    expect(new Set(Object.keys(obj))).toEqual(new Set([...expected.keys(), 'on']));
    expect(typeof obj.on).toBe('function');
    for (const [ns, methods] of expected) {
      const nsObj = obj[ns] as Record<string, unknown>;
      expect(new Set(Object.keys(nsObj)), ns).toEqual(methods);
      for (const m of methods) expect(typeof nsObj[m], `${ns}.${m}`).toBe('function');
    }
    expect(Object.isFrozen(obj)).toBe(true);
  });

  it('lets no ipcRenderer, require, process or Node object across', () => {
    const h = run();
    const values = reachable(h.exposed[0]![1]);
    expect(values).not.toContain(h.ipcRenderer);
    for (const v of values) {
      if (typeof v === 'function') expect(['require', 'invoke', 'send', 'sendSync', 'removeListener']).not.toContain(v.name);
      if (v && typeof v === 'object') {
        expect(Object.keys(v)).not.toContain('ipcRenderer');
        expect(Object.keys(v)).not.toContain('require');
        expect(Object.keys(v)).not.toContain('process');
      }
    }
  });

  it('invokes the right channel with the input and resolves with the value', async () => {
    const h = run();
    const api = h.exposed[0]![1] as { sessions: { list(i?: unknown): Promise<unknown> }; app: { info(): Promise<unknown> } };
    h.reply = (channel) => ({ ok: true, value: { channel } });
    await expect(api.sessions.list({ search: 'pizza' })).resolves.toEqual({ channel: 'sessions:list' });
    await expect(api.app.info()).resolves.toEqual({ channel: 'app:info' });
    expect(h.invokes).toEqual([
      ['sessions:list', { search: 'pizza' }],
      ['app:info', undefined],
    ]);
  });

  it('turns an error envelope into a rejection that keeps its code across the bridge', async () => {
    const h = run();
    const api = h.exposed[0]![1] as { sessions: { get(i: unknown): Promise<unknown> } };
    h.reply = () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'No session with that id.' } });
    const error = await api.sessions.get({ id: randomUUID() }).catch((e: unknown) => e);
    // A plain object: contextBridge would strip `code` from an Error instance.
    expect(error).toEqual({ name: 'ParleyError', code: 'NOT_FOUND', message: 'No session with that id.' });
    expect(structuredClone(error)).toEqual(error);
  });

  it('events: on() subscribes, delivers only the payload, and the returned function really unsubscribes', () => {
    const h = run();
    const api = h.exposed[0]![1] as { on(e: string, l: (p: unknown) => void): () => void };
    for (const event of EVENTS) {
      const got: unknown[] = [];
      const off = api.on(event, (payload) => got.push(payload));
      expect(typeof off).toBe('function');
      expect(h.listeners.get(event)?.size).toBe(1);
      const sender = { sender: h.ipcRenderer };
      for (const l of h.listeners.get(event)!) l(sender, { n: 1 });
      expect(got).toEqual([{ n: 1 }]);
      off();
      expect(h.listeners.get(event)?.size).toBe(0);
    }
    expect(() => api.on('not:an-event', () => {})).toThrow(/Unknown event/);
  });
});
