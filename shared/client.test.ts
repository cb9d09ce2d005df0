import { describe, it, expect, vi } from 'vitest';
import { buildParleyApi, sendTurn, type Transport, type TurnPort } from './client';
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

describe('sendTurn', () => {
  /** A port whose turn:send answers only when the test says, and whose events the test emits. */
  function port() {
    const listeners = new Map<string, Set<(p: unknown) => void>>();
    let answer: (v: { turnId: string }) => void = () => {};
    const p: TurnPort = {
      turn: { send: vi.fn(() => new Promise<{ turnId: string }>((r) => (answer = r))) },
      on: ((event: string, listener: (payload: unknown) => void) => {
        const set = listeners.get(event) ?? new Set();
        listeners.set(event, set);
        set.add(listener);
        return () => set.delete(listener);
      }) as TurnPort['on'],
    };
    const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
    const subscribed = () => [...listeners.values()].reduce((n, s) => n + s.size, 0);
    return { p, emit, answer: (turnId: string) => answer({ turnId }), subscribed };
  }
  const S = '00000000-0000-4000-8000-000000000001';
  const done = (turnId: string) => ({ turnId, sessionId: S, stage: 'INITIAL', awaiting: null, reply: 'hi', provider: 'offline', model: 'm' });

  it('resolves with turn:done of its own turn, streaming its deltas in order and ignoring other turns', async () => {
    const { p, emit, answer, subscribed } = port();
    const deltas: string[] = [];
    const started: string[] = [];
    const result = sendTurn(p, { sessionId: S, text: 'hello' }, { onDelta: (t) => deltas.push(t), onStart: (id) => started.push(id) });
    // A fast provider: events arrive before turn:send has answered with the id.
    emit('turn:delta', { turnId: 't1', sessionId: S, text: 'a' });
    emit('turn:delta', { turnId: 'other', sessionId: S, text: 'x' });
    answer('t1');
    await vi.waitFor(() => expect(started).toEqual(['t1']));
    emit('turn:delta', { turnId: 't1', sessionId: S, text: 'b' });
    emit('turn:done', done('other'));
    emit('turn:done', done('t1'));
    await expect(result).resolves.toMatchObject({ turnId: 't1', reply: 'hi' });
    expect(deltas).toEqual(['a', 'b']);
    expect(subscribed()).toBe(0);
  });

  it('rejects with turn:error as a typed error, even when it came before the id', async () => {
    const { p, emit, answer, subscribed } = port();
    const result = sendTurn(p, { sessionId: S, text: 'hello' });
    emit('turn:error', { turnId: 't2', sessionId: S, error: { code: 'PROVIDER_AUTH', message: 'bad key' } });
    answer('t2');
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toMatchObject({ code: 'PROVIDER_AUTH', message: 'bad key' });
    expect(subscribed()).toBe(0);
  });

  it('stops waiting when its signal aborts', async () => {
    const { p, answer, subscribed } = port();
    const controller = new AbortController();
    const result = sendTurn(p, { sessionId: S, text: 'hello' }, { signal: controller.signal });
    answer('t3');
    await vi.waitFor(() => expect(p.turn.send).toHaveBeenCalled());
    await Promise.resolve();
    controller.abort(new Error('reconnected'));
    await expect(result).rejects.toThrow('reconnected');
    expect(subscribed()).toBe(0);
  });
});
