import { describe, it, expect, vi } from 'vitest';
import { dispatch } from './rpc';
import { CHANNELS, type Handlers } from '../shared/ipc';
import { ParleyError } from '../shared/errors';
import { defaultSettings } from '../shared/settings';

const ID = '3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f';

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const unexpected = () => Promise.reject(new Error('not expected in this test'));
  const base = Object.fromEntries(CHANNELS.map((c) => [c, unexpected])) as unknown as Handlers;
  return { ...base, ...overrides };
}

describe('dispatch', () => {
  it('answers an unknown channel with a typed error', async () => {
    expect(await dispatch(handlers(), 'sessions:explode', {})).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: expect.stringContaining('sessions:explode') },
    });
    expect(await dispatch(handlers(), '__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await dispatch(handlers(), 42, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('rejects a payload that fails its schema before the handler runs', async () => {
    const get = vi.fn();
    const h = handlers({ 'sessions:get': get });
    for (const bad of [undefined, {}, { id: '../x' }, { id: ID, extra: 1 }, 'x']) {
      const r = await dispatch(h, 'sessions:get', bad);
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(get).not.toHaveBeenCalled();
    const r = await dispatch(h, 'turn:send', { sessionId: ID, text: '   ' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('text') } });
  });

  it('passes parsed input through and wraps the result', async () => {
    const set = vi.fn(async () => ({ ...defaultSettings(), temperature: 0.2 }));
    const r = await dispatch(handlers({ 'settings:set': set }), 'settings:set', { temperature: 0.2 }, { validateOutput: true });
    expect(set).toHaveBeenCalledWith({ temperature: 0.2 });
    expect(r).toMatchObject({ ok: true, value: { temperature: 0.2 } });
  });

  it('keeps a service error typed and turns anything else into INTERNAL', async () => {
    const notFound = handlers({ 'sessions:get': async () => Promise.reject(new ParleyError('NOT_FOUND', 'No such session.')) });
    expect(await dispatch(notFound, 'sessions:get', { id: ID })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No such session.' } });
    const onInternalError = vi.fn();
    const boom = handlers({ 'app:info': async () => Promise.reject(new TypeError('boom')) });
    const r = await dispatch(boom, 'app:info', undefined, { onInternalError });
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('boom') } });
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('refuses output that breaks the contract when validating', async () => {
    const bad = handlers({ 'app:info': async () => ({ name: 'Parley' }) as never });
    expect(await dispatch(bad, 'app:info', undefined, { validateOutput: true })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: expect.stringContaining('broke the contract') },
    });
  });
});
