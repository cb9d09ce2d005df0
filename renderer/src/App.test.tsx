import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from './App';
import { fakeParley, makeSession, msg } from './test/fakeParley';

afterEach(() => {
  cleanup();
  // What the app remembers about sessions being opened (see openGuard) must not leak between tests.
  localStorage.clear();
});

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
    // Pieces are applied once per animation frame, in the order they came.
    expect(await within(log).findByText('Great — a dentist agent.')).toBeTruthy();
    act(() => fake.emit('turn:delta', { turnId: 'an-older-turn', sessionId: A, text: ' (stale)' }));
    act(() => fake.emit('turn:delta', { turnId, sessionId: A, text: ' More.' }));
    expect(await within(log).findByText('Great — a dentist agent. More.')).toBeTruthy();

    fireEvent.click(stop);
    await waitFor(() => expect(fake.callsTo('turn:cancel')).toEqual([{ channel: 'turn:cancel', input: { turnId } }]));

    fake.reply(A, 'Great — a dentist agent. More.', { stage: 'COLLECTING_BASICS', awaiting: 'goals' });
    act(() => fake.emit('turn:done', { turnId, sessionId: A, stage: 'COLLECTING_BASICS', awaiting: 'goals', reply: 'Great — a dentist agent. More.', provider: 'offline', model: 'offline' }));
    expect(await screen.findByRole('button', { name: 'Send' })).toBeTruthy();
    expect(within(log).getAllByText('Great — a dentist agent. More.')).toHaveLength(1);
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
    // Deltas are applied per frame: wait for one of ours sent later, so the other one had its chance.
    act(() => fake.emit('turn:delta', { turnId: fake.turnIds[0]!, sessionId: A, text: 'for you' }));
    await within(screen.getByRole('log', { name: 'Conversation' })).findByText('for you');
    expect(screen.queryByText(/not for you/)).toBeNull();
    act(() => fake.emit('turn:error', { turnId: fake.turnIds[0]!, sessionId: A, error: { code: 'PROVIDER_AUTH', message: 'OpenAI rejected the API key.' } }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('OpenAI rejected the API key.');
    expect(alert.textContent).toContain('Check the API key in Settings');
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('filters sessions on the server as you type, deletes with Undo', async () => {
    const fake = fakeParley([
      makeSession({ id: A, title: 'Pizza orders', updatedAt: '2026-01-02T00:00:00.000Z' }),
      makeSession({ id: B, title: 'Dentist bookings', updatedAt: '2026-01-01T00:00:00.000Z' }),
    ]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const list = await screen.findByRole('list', { name: 'Sessions' });
    await within(list).findByRole('button', { name: 'Dentist bookings' });

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search sessions' }), { target: { value: 'dent' } });
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Sessions' })).queryByRole('button', { name: 'Pizza orders' })).toBeNull());
    expect(fake.callsTo('sessions:list').at(-1)?.input).toEqual({ search: 'dent', offset: 0, limit: 100 });
    expect(await screen.findByText('1 match')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Delete “Dentist bookings”' }));
    await waitFor(() => expect(fake.sessions.has(B)).toBe(false));
    expect(await screen.findByText('No sessions match “dent”.')).toBeTruthy();
    const toasts = screen.getByRole('status', { name: 'Notifications' });
    expect(within(toasts).getByText('Deleted “Dentist bookings”.')).toBeTruthy();
    fireEvent.click(within(toasts).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(fake.sessions.has(B)).toBe(true));
    expect(fake.callsTo('sessions:restore')).toEqual([{ channel: 'sessions:restore', input: { id: B } }]);
    // Until the list is fetched again, "No sessions match" stands where the list was: wait for the list itself.
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Sessions' })).getByRole('button', { name: 'Dentist bookings' })).toBeTruthy());
    expect(await screen.findByRole('heading', { level: 1, name: 'Dentist bookings' })).toBeTruthy();
  });

  it('undoes a delete with Ctrl+Z outside text fields', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'Keep me' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete “Keep me”' }));
    // The toast is the app's own signal that the delete finished and can be undone.
    await within(screen.getByRole('status', { name: 'Notifications' })).findByRole('button', { name: 'Undo' });
    expect(fake.sessions.has(A)).toBe(false);
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(fake.sessions.has(A)).toBe(true));
  });

  it('renames a session and saves it as a template from the list', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'Pizza orders' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Rename “Pizza orders”' }));
    const input = screen.getByRole('textbox', { name: 'New title for “Pizza orders”' });
    fireEvent.change(input, { target: { value: 'Pizza hotline' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Pizza hotline' })).toBeTruthy();
    expect(fake.sessions.get(A)?.title).toBe('Pizza hotline');

    fireEvent.click(screen.getByRole('button', { name: 'Save “Pizza hotline” as template' }));
    await screen.findByText(/Saved “Pizza hotline” as a template, without the conversation/);
    fireEvent.click(screen.getByRole('button', { name: 'Save “Pizza hotline” as template' }));
    await waitFor(() => expect(fake.calls.filter((c) => c.channel === 'templates:save').map((c) => (c.input as { name: string }).name)).toEqual(['pizza-hotline', 'pizza-hotline-2']));
    expect(fake.sessions.size).toBe(1);
  });

  it('starts a session from a template picked in the gallery, by keyboard', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'Pizza orders' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    fireEvent.click(await screen.findByRole('button', { name: 'New from template…' }));
    const dialog = await screen.findByRole('dialog', { name: 'New from template' });
    const search = within(dialog).getByRole('combobox', { name: 'Search templates' });
    await within(dialog).findByRole('option', { name: /Dental appointment booking/ });
    expect(document.activeElement).toBe(search);
    fireEvent.change(search, { target: { value: 'outbound' } });
    expect(within(dialog).getAllByRole('option').map((o) => o.querySelector('.template-title')?.firstChild?.textContent)).toEqual(['Sales lead qualification (outbound)']);
    fireEvent.change(search, { target: { value: '' } });
    expect(within(dialog).getByRole('option', { selected: true }).textContent).toMatch(/Dental appointment booking/);
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    expect(within(dialog).getByRole('option', { selected: true }).textContent).toMatch(/Sales lead qualification/);
    fireEvent.keyDown(search, { key: 'ArrowUp' });
    expect(search.getAttribute('aria-activedescendant')).toBe(within(dialog).getByRole('option', { selected: true }).id);
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Dental appointment booking' })).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.calls.find((c) => c.channel === 'templates:start')?.input).toEqual({ name: 'dental-appointments' });
  });

  it('imports a colleague’s template file into the gallery, keeping both when the name is taken', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'Pizza orders' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    fireEvent.click(await screen.findByRole('button', { name: 'New from template…' }));
    const dialog = await screen.findByRole('dialog', { name: 'New from template' });
    await within(dialog).findByRole('option', { name: /Dental appointment booking/ });
    const file = new File([JSON.stringify({ name: 'dental-appointments', title: 'Dental, our way' })], 'dental.parley-template.json', { type: 'application/json' });
    fireEvent.change(dialog.querySelector<HTMLInputElement>('input[type="file"]')!, { target: { files: [file] } });
    expect(await within(dialog).findByRole('option', { name: /Dental, our way/ })).toBeTruthy();
    expect(fake.calls.filter((c) => c.channel === 'templates:import').map((c) => (c.input as { name?: string }).name)).toEqual([undefined, 'dental-appointments-2']);
    await screen.findByText('Imported the template “Dental, our way”.');
  });

  it('keeps a draft per session', async () => {
    const fake = fakeParley([
      makeSession({ id: A, title: 'One', updatedAt: '2026-01-02T00:00:00.000Z' }),
      makeSession({ id: B, title: 'Two', updatedAt: '2026-01-01T00:00:00.000Z' }),
    ]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const box = () => screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
    await screen.findByRole('heading', { level: 1, name: 'One' });
    fireEvent.change(box(), { target: { value: 'half a thought' } });
    fireEvent.click(screen.getByRole('button', { name: 'Two' }));
    await screen.findByRole('heading', { level: 1, name: 'Two' });
    expect(box().value).toBe('');
    fireEvent.click(screen.getByRole('button', { name: 'One' }));
    await screen.findByRole('heading', { level: 1, name: 'One' });
    expect(box().value).toBe('half a thought');
  });

  it('shows a retry countdown, clears a reset reply and offers Settings on an auth error', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const box = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'hello' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(fake.turnIds).toHaveLength(1));
    const turnId = fake.turnIds[0]!;
    act(() => fake.emit('turn:delta', { turnId, sessionId: A, text: 'half a rep' }));
    const log = screen.getByRole('log', { name: 'Conversation' });
    await within(log).findByText('half a rep');
    act(() =>
      fake.emit('turn:status', { turnId, sessionId: A, message: 'OpenAI did not answer; retrying in 4 s (attempt 2 of 3)', retryInMs: 4000, attempt: 2, maxAttempts: 3, resetReply: true }),
    );
    expect(within(log).queryByText('half a rep')).toBeNull();
    expect((await screen.findByText(/Retrying in [34] s \(attempt 2 of 3\)\./)).textContent).toMatch(/^OpenAI did not answer\. Retrying in [34] s/);

    act(() => fake.emit('turn:error', { turnId, sessionId: A, error: { code: 'PROVIDER_AUTH', message: 'OpenAI rejected the API key.' } }));
    const alert = await screen.findByRole('alert');
    fireEvent.click(within(alert).getByRole('button', { name: 'Open Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    await within(dialog).findByRole('group', { name: 'OpenAI API key' });
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull();
  });

  it('offers Retry for an unreachable provider, which sends the same message again', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const box = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'are you there?' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(fake.turnIds).toHaveLength(1));
    act(() => fake.emit('turn:error', { turnId: fake.turnIds[0]!, sessionId: A, error: { code: 'PROVIDER_UNAVAILABLE', message: 'Nobody answered.' } }));
    fireEvent.click(within(await screen.findByRole('alert')).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(fake.callsTo('turn:send').map((c) => (c.input as { text: string }).text)).toEqual(['are you there?', 'are you there?']));
  });

  it('continues a failing session with the offline interviewer and answers the same message', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One', provider: 'auto' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const box = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'a booking agent' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(fake.turnIds).toHaveLength(1));
    act(() => fake.emit('turn:error', { turnId: fake.turnIds[0]!, sessionId: A, error: { code: 'PROVIDER_AUTH', message: 'OpenAI rejected the API key (401).' } }));
    fireEvent.click(within(await screen.findByRole('alert')).getByRole('button', { name: 'Continue offline' }));
    await waitFor(() => expect(fake.callsTo('turn:send')).toHaveLength(2));
    expect(fake.callsTo('sessions:set-provider').map((c) => c.input)).toEqual([{ id: A, provider: 'offline' }]);
    expect((fake.callsTo('turn:send')[1]!.input as { text: string }).text).toBe('a booking agent');
  });

  it('tells the user about notices from before launch and as they happen', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One' })]);
    fake.notices.push('broken.json could not be loaded (truncated JSON) and was moved to quarantine/broken.json.');
    render(<App api={fake.api} searchDelayMs={0} />);
    expect(await screen.findByText(/broken\.json could not be loaded/)).toBeTruthy();
    act(() => fake.emit('app:notice', { message: 'Session x was saved by a newer version of Parley.' }));
    expect(await screen.findByText(/saved by a newer version/)).toBeTruthy();
  });

  it('shows which provider and model answered and what it cost', async () => {
    const reply = { ...msg('assistant', 'Noted.'), turnId: 't1', provider: 'openai' as const, model: 'gpt-5.5' };
    const fake = fakeParley([
      makeSession({
        id: A,
        messages: [reply],
        usage: [{ turnId: 't1', provider: 'openai', model: 'gpt-5.5', inputTokens: 100, outputTokens: 50, latencyMs: 1234, costUsd: 0.0012, at: '2026-01-01T10:00:00.000Z' }],
      }),
    ]);
    render(<App api={fake.api} searchDelayMs={0} />);
    expect(await screen.findByText('openai · gpt-5.5 · 150 tokens · $0.0012 · 1.2 s')).toBeTruthy();
  });

  it('has keyboard shortcuts for new session, search, settings and export', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One' })]);
    fake.previews.elevenlabs = { format: 'elevenlabs', filename: 'one.elevenlabs.json', content: '{}\n', findings: [], losses: [] };
    render(<App api={fake.api} searchDelayMs={0} />);
    await screen.findByRole('heading', { level: 1, name: 'One' });
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search sessions' }));
    fireEvent.keyDown(window, { key: ',', metaKey: true });
    expect(await screen.findByRole('dialog', { name: 'Settings' })).toBeTruthy();
    fireEvent.keyDown(window, { key: 'e', ctrlKey: true });
    expect(await screen.findByRole('dialog', { name: 'Export' })).toBeTruthy();
    expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull();
    fireEvent.keyDown(screen.getByRole('dialog', { name: 'Export' }), { key: 'Escape' });
    fireEvent.keyDown(window, { key: 'n', ctrlKey: true });
    await waitFor(() => expect(fake.callsTo('sessions:create')).toHaveLength(1));
    expect(await screen.findByRole('heading', { level: 1, name: 'Session 1' })).toBeTruthy();
  });

  it('goes back to a done stage after confirming', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One', stage: 'EXPLORING_TOOLS' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Collecting basics' }));
    const dialog = screen.getByRole('dialog', { name: 'Go back to Collecting basics?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Go back' }));
    await waitFor(() => expect(fake.callsTo('stage:goto')).toEqual([{ channel: 'stage:goto', input: { sessionId: A, stage: 'COLLECTING_BASICS' } }]));
    const stages = screen.getByRole('list', { name: 'Stages' });
    await waitFor(() => expect(stages.querySelector('[aria-current="step"]')?.textContent).toContain('Collecting basics'));
  });

  it('edits and locks a spec value through the contract', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One', stage: 'COLLECTING_BASICS', spec: { tone: { value: 'Friendly', confidence: 0.8, source: 'm1', locked: false }, tools: [], candidates: {} } })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const spec = await screen.findByRole('region', { name: 'Agent spec' });
    fireEvent.click(within(spec).getByRole('button', { name: 'Edit Tone' }));
    const input = within(spec).getByRole('textbox', { name: 'Tone value' });
    fireEvent.change(input, { target: { value: 'Calm and precise' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await within(spec).findByText('Calm and precise');
    expect(fake.callsTo('spec:edit')).toEqual([{ channel: 'spec:edit', input: { sessionId: A, path: 'tone', value: 'Calm and precise' } }]);
    fireEvent.click(within(spec).getByRole('button', { name: 'Unlock Tone' }));
    await within(spec).findByRole('button', { name: 'Lock Tone' });
    expect(fake.sessions.get(A)?.spec.tone?.locked).toBe(false);
  });
});

describe('App import', () => {
  it('imports an agent file into a new session and says what was lost', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One' })]);
    fake.handlers['sessions:import'] = (input) => {
      const { text } = input as { text: string };
      const s = makeSession({ id: B, title: (JSON.parse(text) as { name: string }).name, stage: 'REVIEWING_WORKFLOW' });
      fake.sessions.set(B, s);
      return { session: s, losses: [{ path: '', message: 'The voice is not kept.' }] };
    };
    const { container } = render(<App api={fake.api} searchDelayMs={0} />);
    await screen.findByRole('heading', { level: 1, name: 'One' });
    expect(screen.getByRole('button', { name: 'Import agent…' })).toBeTruthy();
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    const file = new File(['{"name":"Weather line"}'], 'weather.json', { type: 'application/json' });
    fireEvent.change(input, { target: { files: [file] } });
    expect(await screen.findByRole('heading', { level: 1, name: 'Weather line' })).toBeTruthy();
    expect(fake.callsTo('sessions:import')).toEqual([{ channel: 'sessions:import', input: { text: '{"name":"Weather line"}' } }]);
    expect(screen.getByText('Imported “Weather line”; 1 detail could not be carried over.')).toBeTruthy();
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
