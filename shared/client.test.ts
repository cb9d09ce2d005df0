import { describe, it, expect, vi } from 'vitest';
import { buildParleyApi, type Transport } from './client';
import { CHANNELS, EVENTS } from './ipc';
import { ParleyError } from './errors';

describe('buildParleyApi', () => {
  it('exposes exactly one method per channel, grouped by namespace, plus on()', () => {
    const api = buildParleyApi({ invoke: vi.fn(), subscribe: vi.fn() }) as unknown as Record<string, Record<string, unknown>>;
    const methods = Object.entries(api)
      .filter(([k]) => k !== 'on')
      .flatMap(([ns, group]) => Object.keys(group).map((m) => `${ns}:${m}`));
    expect(methods.sort()).toEqual([...CHANNELS].sort());
    expect(typeof api.on).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('unwraps envelopes and rethrows typed errors', async () => {
    const transport: Transport = {
      invoke: vi.fn(async (channel) =>
        channel === 'app:info'
          ? { ok: true as const, value: { name: 'Parley' } }
          : { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'No such session.' } },
      ),
      subscribe: vi.fn(),
    };
    const api = buildParleyApi(transport);
    await expect(api.app.info()).resolves.toEqual({ name: 'Parley' });
    const err = await api.sessions.get({ id: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParleyError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'No such session.' });
    expect(transport.invoke).toHaveBeenCalledWith('sessions:get', { id: 'x' });
  });

  it('subscribes only to contract events and returns the unsubscribe function', () => {
    const off = vi.fn();
    const transport: Transport = { invoke: vi.fn(), subscribe: vi.fn(() => off) };
    const api = buildParleyApi(transport);
    const unsubscribe = api.on('turn:delta', () => {});
    unsubscribe();
    expect(off).toHaveBeenCalledOnce();
    expect(EVENTS).toContain('turn:delta');
    expect(() => api.on('nope' as 'turn:delta', () => {})).toThrow(ParleyError);
  });
});
