/**
 * Issue 18's walk-through, as component tests against the fake backend: honest provider state,
 * keyboard paths, cost at a glance, and a window that survives any session.
 */
import { MAX_FIELD_CHARS, MAX_TOOLS } from '../../shared/limits';
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from './App';
import { fakeParley, makeSession, msg } from './test/fakeParley';
import { MESSAGE_DISPLAY_LIMIT } from './components/Chat';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const f = <T,>(value: T) => ({ value, confidence: 1, source: 'm1', locked: false });

describe('provider state is always true', () => {
  const noKeys = { backend: 'keychain' as const, backendMessage: null, providers: (['openai', 'anthropic'] as const).map((provider) => ({ provider, set: false, source: null, last4: null, readOnly: false })) };

  it('choosing OpenAI with no key shows a banner; "Continue offline" continues the same session', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'Pharmacy', provider: 'openai' })]);
    fake.setKeys(noKeys);
    render(<App api={fake.api} searchDelayMs={0} />);
    const banner = await screen.findByRole('region', { name: 'Provider not ready' });
    expect(banner.textContent).toContain('This session uses OpenAI, but no OpenAI API key is set.');
    expect(banner.textContent).toContain('Until then the offline interviewer answers.');
    // The header says who answers now: nothing is hidden in a parenthesis.
    expect(screen.getByTestId('answering').textContent).toBe('Answering: Offline interviewer');
    fireEvent.click(within(banner).getByRole('button', { name: 'Continue offline' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Provider not ready' })).toBeNull());
    expect(fake.callsTo('sessions:set-provider').map((c) => c.input)).toEqual([{ id: A, provider: 'offline' }]);
    expect(fake.callsTo('sessions:create')).toHaveLength(0);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Pharmacy');
    expect(fake.callsTo('turn:send')).toHaveLength(0); // nothing was sent on the user's behalf
  });

  it('names the provider that answers instead, when it is another keyed one', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'Pharmacy', provider: 'openai' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const banner = await screen.findByRole('region', { name: 'Provider not ready' });
    expect(banner.textContent).toContain('Until then Anthropic · claude-sonnet-5-5 answers.');
    expect(screen.getByTestId('answering').textContent).toBe('Answering: Anthropic · claude-sonnet-5-5');
  });

  it('says when it is the routing table, not the session, that names the provider', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'Auto', provider: 'auto', stage: 'COLLECTING_BASICS' })]);
    fake.setKeys(noKeys);
    render(<App api={fake.api} searchDelayMs={0} />);
    const banner = await screen.findByRole('region', { name: 'Provider not ready' });
    expect(banner.textContent).toContain('Settings route Collecting basics to OpenAI, but no OpenAI API key is set.');
  });

  it('"Add key" opens Settings at that provider’s key field', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'Pharmacy', provider: 'openai' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const banner = await screen.findByRole('region', { name: 'Provider not ready' });
    fireEvent.click(within(banner).getByRole('button', { name: 'Add key' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    const field = await within(dialog).findByLabelText('Set OpenAI API key');
    await waitFor(() => expect(document.activeElement).toBe(field));
  });

  it('follows the routing table in "auto": the routed provider with a key answers, and no banner shows', async () => {
    // The fake has an Anthropic key from the environment; INITIAL routes to Anthropic by default.
    const fake = fakeParley([makeSession({ id: A, title: 'Auto', provider: 'auto', stage: 'INITIAL' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    await waitFor(() => expect(screen.getByTestId('answering').textContent).toBe('Answering: Anthropic · claude-sonnet-5-5'));
    expect(screen.queryByRole('region', { name: 'Provider not ready' })).toBeNull();
  });
});

describe('keys without a keychain', () => {
  it('says what is missing in one sentence, disables the field visibly, and offers a key for this session only', async () => {
    const fake = fakeParley([makeSession({ id: A })]);
    fake.setKeys({
      backend: 'none',
      backendMessage: 'No OS keychain is reachable (Cannot autolaunch D-Bus without X11 $DISPLAY).',
      providers: [
        { provider: 'openai', set: false, source: null, last4: null, readOnly: false },
        { provider: 'anthropic', set: false, source: null, last4: null, readOnly: false },
      ],
    });
    render(<App api={fake.api} searchDelayMs={0} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    expect((await within(dialog).findByText(/^No keyring is running, so Parley cannot store API keys\./)).tagName).toBe('P');
    const field = within(dialog).getByLabelText('Set OpenAI API key') as HTMLInputElement;
    expect(field.disabled).toBe(true);
    // The D-Bus detail is there for whoever wants it, not in the sentence.
    expect(within(dialog).getByText('Technical details').closest('details')?.open).toBe(false);
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /Use a key for this session only/ }));
    expect(field.disabled).toBe(false);
    fireEvent.change(field, { target: { value: 'sk-session-0123456789' } });
    fireEvent.click(within(within(dialog).getByRole('group', { name: 'OpenAI API key' })).getByRole('button', { name: 'Use for this session' }));
    await within(dialog).findByText('Kept for this session.');
    expect(fake.callsTo('keys:set').map((c) => c.input)).toEqual([{ provider: 'openai', key: 'sk-session-0123456789', sessionOnly: true }]);
    expect(within(dialog).getByText('Set · this session only · ends in 6789')).toBeTruthy();
  });
});

describe('keyboard', () => {
  it('moves focus to the next session after a delete with the Delete key, and Ctrl+Z brings it back', async () => {
    const fake = fakeParley([
      makeSession({ id: A, title: 'First', updatedAt: '2026-01-03T00:00:00.000Z' }),
      makeSession({ id: B, title: 'Second', updatedAt: '2026-01-02T00:00:00.000Z' }),
      makeSession({ id: C, title: 'Third', updatedAt: '2026-01-01T00:00:00.000Z' }),
    ]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const list = await screen.findByRole('list', { name: 'Sessions' });
    fireEvent.click(await within(list).findByRole('button', { name: 'Second' }));
    await screen.findByRole('heading', { level: 1, name: 'Second' });
    const second = within(list).getByRole('button', { name: 'Second' });
    second.focus();
    fireEvent.keyDown(second, { key: 'Delete' });
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Third'));
    expect(document.activeElement).not.toBe(document.body);
    // The session that took its place opens, without pulling focus out of the list.
    await screen.findByRole('heading', { level: 1, name: 'Third' });
    expect(document.activeElement?.textContent).toBe('Third');
    fireEvent.keyDown(document.activeElement!, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(fake.sessions.has(B)).toBe(true));
  });

  it('has skip links to the chat, the spec and the sessions', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    await screen.findByRole('heading', { level: 1, name: 'One' });
    const nav = screen.getByRole('navigation', { name: 'Skip links' });
    expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual(['Skip to chat', 'Skip to spec', 'Skip to sessions']);
    fireEvent.click(within(nav).getByRole('link', { name: 'Skip to sessions' }));
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search sessions' }));
    fireEvent.click(within(nav).getByRole('link', { name: 'Skip to chat' }));
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Message' }));
    fireEvent.click(within(nav).getByRole('link', { name: 'Skip to spec' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('region', { name: 'Agent spec' })));
  });

  it('has a Settings button that says its shortcut', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const gear = await screen.findByRole('button', { name: 'Settings' });
    expect(gear.getAttribute('data-tip')).toBe('Settings (Ctrl+,)');
    expect(gear.getAttribute('aria-keyshortcuts')).toBe('Control+, Meta+,');
  });
});

describe('cost at a glance', () => {
  it('shows latency and tokens under each reply, and the session’s cost and provider in the status bar', async () => {
    const reply = { ...msg('assistant', 'Noted.'), turnId: 't1', provider: 'openai' as const, model: 'gpt-5.5' };
    const reply2 = { ...msg('assistant', 'And more.'), turnId: 't2', provider: 'openai' as const, model: 'gpt-5.5' };
    const usage = (turnId: string, costUsd: number) => ({ turnId, provider: 'openai' as const, model: 'gpt-5.5', inputTokens: 100, outputTokens: 50, latencyMs: 1234, costUsd, at: '2026-01-01T10:00:00.000Z' });
    const fake = fakeParley([makeSession({ id: A, messages: [reply, reply2], usage: [usage('t1', 0.0012), usage('t2', 0.0013)] })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    expect(await screen.findByText('openai · gpt-5.5 · 150 tokens · $0.0012 · 1.2 s')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('session-cost').textContent).toBe('$0.0025 · 300 tokens · offline interviewer'));
  });

  it('says "offline · free" for the offline interviewer', async () => {
    const reply = { ...msg('assistant', 'What tone?'), turnId: 't1', provider: 'offline' as const, model: 'guided-interviewer' };
    const fake = fakeParley([
      makeSession({ id: A, messages: [reply], usage: [{ turnId: 't1', provider: 'offline', model: 'guided-interviewer', inputTokens: 0, outputTokens: 0, latencyMs: 12, at: '2026-01-01T10:00:00.000Z' }] }),
    ]);
    render(<App api={fake.api} searchDelayMs={0} />);
    expect(await screen.findByText('offline · free · 12 ms')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('session-cost').textContent).toBe('offline · free · offline interviewer'));
  });
});

describe('the window survives any session', () => {
  it('cuts a huge unbroken message and value for display, with "Show all"', async () => {
    // The largest a session may hold (shared/limits.ts): a message of 300,000 characters, a value of 100,000.
    const huge = 'x'.repeat(300_000);
    const hugeValue = 'x'.repeat(MAX_FIELD_CHARS);
    const fake = fakeParley([makeSession({ id: A, title: 'Huge', messages: [msg('user', huge)], spec: { goals: f(hugeValue), tools: [], candidates: {} } })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const log = await screen.findByRole('log', { name: 'Conversation' });
    const body = log.querySelector('.message-body')!;
    expect(body.textContent!.length).toBe(MESSAGE_DISPLAY_LIMIT + 1);
    fireEvent.click(within(log).getByRole('button', { name: 'Show all 300,000 characters' }));
    expect(log.querySelector('.message-body')!.textContent!.length).toBe(300_000);
    const spec = screen.getByRole('region', { name: 'Agent spec' });
    const goals = spec.querySelector('[data-field="goals"] .value')!;
    expect(goals.textContent!.length).toBeLessThan(1000);
    fireEvent.click(within(spec).getByRole('button', { name: 'Show all of Goals' }));
    expect(spec.querySelector('[data-field="goals"] .value')!.textContent!.length).toBe(MAX_FIELD_CHARS);
  });

  it('lists the most tools a session may hold virtually and shows the chosen one', async () => {
    const tools = Array.from({ length: MAX_TOOLS }, (_, i) => ({ name: f(`tool_${i}`), purpose: f(`Does thing ${i}`) }));
    const fake = fakeParley([makeSession({ id: A, title: 'Many tools', stage: 'CONFIGURING_TOOLS', spec: { use_tools: f(true), tools, candidates: {} } })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const spec = await screen.findByRole('region', { name: 'Agent spec' });
    const list = within(spec).getByRole('list', { name: 'Tools' });
    const rows = within(list).getAllByRole('button');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(30);
    expect(within(spec).getAllByRole('group', { name: /^Tool \d+/ })).toHaveLength(1);
    fireEvent.click(within(list).getByRole('button', { name: /^3\. tool_2/ }));
    expect(within(spec).getByRole('group', { name: 'Tool 3: tool_2' })).toBeTruthy();
    expect(spec.querySelectorAll('[data-field]').length).toBeLessThan(60);
  });

  it('does not reopen by itself the session that froze the window last time', async () => {
    localStorage.setItem('parley.opening', B);
    const fake = fakeParley([
      makeSession({ id: B, title: 'Froze it', updatedAt: '2026-01-02T00:00:00.000Z' }),
      makeSession({ id: A, title: 'Fine', updatedAt: '2026-01-01T00:00:00.000Z' }),
    ]);
    render(<App api={fake.api} searchDelayMs={0} />);
    expect(await screen.findByText(/“Froze it” was not reopened/)).toBeTruthy();
    expect(fake.callsTo('sessions:get')).toHaveLength(0);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Design a voice agent by talking to it');
    // Opened on purpose, it paints, and the record is cleared.
    fireEvent.click(within(screen.getByRole('list', { name: 'Sessions' })).getByRole('button', { name: 'Froze it' }));
    await screen.findByRole('heading', { level: 1, name: 'Froze it' });
    await waitFor(() => expect(localStorage.getItem('parley.opening')).toBeNull());
  });
});

describe('small defects', () => {
  it('explains a session copied without its conversation (sessions:duplicate), instead of a blank chat', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'Trattoria (copy)', messages: [], spec: { agent_type: f('restaurant'), tools: [], candidates: {} } })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    await screen.findByRole('heading', { level: 1, name: 'Trattoria (copy)' });
    expect(screen.getByText(/starts from a copy of another design: the spec on the right is kept/)).toBeTruthy();
  });

  it('does not say a provider error’s next step twice', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    const box = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'hello' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(fake.turnIds).toHaveLength(1));
    const message = 'The local endpoint at http://127.0.0.1:9/v1 is not answering (Connection error.) after 3 attempts. Try again in a minute, or choose another provider in Settings.';
    act(() => fake.emit('turn:error', { turnId: fake.turnIds[0]!, sessionId: A, error: { code: 'PROVIDER_UNAVAILABLE', message } }));
    const alert = await screen.findByRole('alert');
    expect(alert.querySelector('.banner-text')!.textContent).toBe(message);
  });

  it('starts the side panel at the top when another session opens', async () => {
    const fake = fakeParley([
      makeSession({ id: A, title: 'One', updatedAt: '2026-01-02T00:00:00.000Z' }),
      makeSession({ id: B, title: 'Two', updatedAt: '2026-01-01T00:00:00.000Z' }),
    ]);
    render(<App api={fake.api} searchDelayMs={0} />);
    await screen.findByRole('heading', { level: 1, name: 'One' });
    const inspector = screen.getByRole('complementary', { name: 'Interview' });
    inspector.scrollTop = 400;
    fireEvent.click(within(screen.getByRole('list', { name: 'Sessions' })).getByRole('button', { name: 'Two' }));
    await screen.findByRole('heading', { level: 1, name: 'Two' });
    expect(inspector.scrollTop).toBe(0);
  });
});

describe('toasts', () => {
  it('shows the same notice once, however often it comes', async () => {
    const fake = fakeParley([makeSession({ id: A, title: 'One' })]);
    render(<App api={fake.api} searchDelayMs={0} />);
    await screen.findByRole('heading', { level: 1, name: 'One' });
    for (let i = 0; i < 3; i++) act(() => fake.emit('app:notice', { message: 'Downloaded one.json.' }));
    const toasts = screen.getByRole('status', { name: 'Notifications' });
    await waitFor(() => expect(within(toasts).getAllByText('Downloaded one.json.')).toHaveLength(1));
  });
});
