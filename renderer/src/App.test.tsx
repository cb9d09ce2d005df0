import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from './App';
import { fakeParley, makeSession } from './test/fakeParley';

afterEach(cleanup);

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('App', () => {
  it('greets with a new session on first launch and shows app info', async () => {
    const fake = fakeParley();
    render(<App api={fake.api} searchDelayMs={0} />);
    expect(await screen.findByText('What kind of voice agent would you like to create?')).toBeTruthy();
    expect(await screen.findByText('Parley 1.2.3 · Preview · linux')).toBeTruthy();
    expect(fake.callsTo('sessions:create')).toHaveLength(1);
    const list = await screen.findByRole('list', { name: 'Sessions' });
    expect(within(list).getByRole('button', { name: 'Session 1' }).getAttribute('aria-current')).toBe('true');
  });

  it('opens the newest existing session instead of creating one', async () => {
    const fake = fakeParley([
      makeSession({ id: A, title: 'Older', updatedAt: '2026-01-01T00:00:00.000Z' }),
      makeSession({ id: B, title: 'Newer', updatedAt: '2026-01-02T00:00:00.000Z' }),
    ]);
    render(<App api={fake.api} searchDelayMs={0} />);
    expect(await screen.findByRole('heading', { name: 'Newer', level: 1 })).toBeTruthy();
    const names = within(screen.getByRole('list', { name: 'Sessions' }))
      .getAllByRole('button', { name: /^(Older|Newer)$/ })
      .map((b) => b.textContent);
    expect(names).toEqual(['Newer', 'Older']);
    expect(fake.callsTo('sessions:create')).toHaveLength(0);
  });

  it('sends on Enter, keeps Shift+Enter for new lines, streams the reply in order and stops', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'Dentist bot' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const box = (await screen.findByRole('textbox', { name: 'Message' })) as HTMLTextAreaElement;

    fireEvent.change(box, { target: { value: 'line one' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(fake.callsTo('turn:send')).toHaveLength(0);

    fireEvent.change(box, { target: { value: 'A booking agent for a dentist' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(fake.callsTo('turn:send')).toEqual([{ channel: 'turn:send', input: { sessionId: A, text: 'A booking agent for a dentist' } }]));
    expect(box.value).toBe('');
    const stop = await screen.findByRole('button', { name: 'Stop' });
    await waitFor(() => expect((stop as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    const log = screen.getByRole('log', { name: 'Conversation' });
    expect(within(log).getByText('A booking agent for a dentist')).toBeTruthy();

    const turnId = fake.turnIds[0]!;
    for (const text of ['Great', ' — a ', 'dentist', ' agent.']) act(() => fake.emit('turn:delta', { turnId, sessionId: A, text }));
    expect(within(log).getByText('Great — a dentist agent.')).toBeTruthy();

    fireEvent.click(stop);
    await waitFor(() => expect(fake.callsTo('turn:cancel')).toEqual([{ channel: 'turn:cancel', input: { turnId } }]));

    fake.reply(A, 'Great — a dentist agent.', { stage: 'COLLECTING_BASICS', awaiting: 'goals' });
    act(() => fake.emit('turn:done', { turnId, sessionId: A, stage: 'COLLECTING_BASICS', awaiting: 'goals', reply: 'Great — a dentist agent.', provider: 'offline', model: 'offline' }));
    expect(await screen.findByRole('button', { name: 'Send' })).toBeTruthy();
    expect(within(log).getAllByText('Great — a dentist agent.')).toHaveLength(1);
    const stages = screen.getByRole('list', { name: 'Stages' });
    expect(stages.querySelector('[aria-current="step"]')?.textContent).toContain('Collecting basics');
    expect(stages.querySelector('[aria-current="step"]')?.textContent).toContain('Asking about goals');
  });

  it('ignores deltas of other sessions and shows turn errors with a next step', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const box = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'hello' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(fake.callsTo('turn:send')).toHaveLength(1));
    act(() => fake.emit('turn:delta', { turnId: 'x', sessionId: B, text: 'not for you' }));
    expect(screen.queryByText('not for you')).toBeNull();
    act(() => fake.emit('turn:error', { turnId: fake.turnIds[0]!, sessionId: A, error: { code: 'PROVIDER_AUTH', message: 'OpenAI rejected the API key.' } }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('OpenAI rejected the API key.');
    expect(alert.textContent).toContain('Check the API key in Settings');
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('filters sessions by search and deletes after confirmation', async () => {
    const fake = fakeParley([
      makeSession({ id: A, title: 'Pizza orders', updatedAt: '2026-01-02T00:00:00.000Z' }),
      makeSession({ id: B, title: 'Dentist bookings', updatedAt: '2026-01-01T00:00:00.000Z' }),
    ]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const list = await screen.findByRole('list', { name: 'Sessions' });
    await within(list).findByRole('button', { name: 'Dentist bookings' });

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search sessions' }), { target: { value: 'dent' } });
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Sessions' })).queryByRole('button', { name: 'Pizza orders' })).toBeNull());
    expect(fake.callsTo('sessions:list').at(-1)?.input).toEqual({ search: 'dent', limit: 200 });

    fireEvent.click(screen.getByRole('button', { name: 'Delete “Dentist bookings”' }));
    expect(fake.sessions.has(B)).toBe(true); // not before confirming
    fireEvent.click(screen.getByRole('button', { name: 'Confirm delete' }));
    await waitFor(() => expect(fake.sessions.has(B)).toBe(false));
    expect(await screen.findByText('No sessions match “dent”.')).toBeTruthy();
  });
});

describe('App over a connection that drops', () => {
  it('re-reads the session after reconnecting, so a turn whose events were lost does not hang', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One' })]);
    const statusListeners = new Set<(s: 'open' | 'reconnecting') => void>();
    const connection = {
      status: 'open' as const,
      onStatus: (l: (s: 'open' | 'reconnecting') => void) => (statusListeners.add(l), () => void statusListeners.delete(l)),
    };
    render(<App api={fake.api} connection={connection} searchDelayMs={0} />);
    const box = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'hello' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByRole('button', { name: 'Stop' });
    fake.reply(A, 'Saved while we were away.');
    act(() => statusListeners.forEach((l) => l('reconnecting')));
    act(() => statusListeners.forEach((l) => l('open')));
    expect(await screen.findByText('Saved while we were away.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
  });
});
