import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { SettingsDialog } from './SettingsDialog';
import { fakeParley } from '../test/fakeParley';
import { applyTheme } from '../lib/theme';
import type { Settings } from '../../../shared/settings';
import { channels } from '../../../shared/ipc';

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset.theme;
});

const info = { name: 'Parley', version: '1', host: 'electron' as const, platform: 'linux', dataDir: '/home/me/.config/Parley' };

function open() {
  const f = fakeParley();
  const saved: Settings[] = [];
  render(<SettingsDialog api={f.api} info={info} onClose={() => {}} onSaved={(s) => (saved.push(s), applyTheme(s.theme))} />);
  return { f, saved, dialog: screen.getByRole('dialog', { name: 'Settings' }) };
}

describe('SettingsDialog', () => {
  it('sets, tests and clears a key without ever showing it, and shows where keys come from', async () => {
    const { f, dialog } = open();
    const openai = await within(dialog).findByRole('group', { name: 'OpenAI API key' });
    expect(openai.textContent).toContain('Not set');
    expect(within(dialog).getByText(/Storage: OS keychain/)).toBeTruthy();
    const anthropic = within(dialog).getByRole('group', { name: 'Anthropic API key' });
    expect(anthropic.textContent).toContain('Set · environment variable · ends in wxyz');
    expect(within(anthropic).queryByRole('button', { name: 'Clear' })).toBeNull();

    const input = within(openai).getByLabelText('Set OpenAI API key') as HTMLInputElement;
    expect(input.type).toBe('password');
    fireEvent.change(input, { target: { value: 'sk-test-abcdefgh1234' } });
    fireEvent.click(within(openai).getByRole('button', { name: 'Save' }));
    await within(openai).findByText('Set · OS keychain · ends in 1234');
    expect(input.value).toBe('');
    expect(dialog.textContent).not.toContain('sk-test-abcdefgh1234');
    expect(f.callsTo('keys:set')).toEqual([{ channel: 'keys:set', input: { provider: 'openai', key: 'sk-test-abcdefgh1234' } }]);

    fireEvent.click(within(openai).getByRole('button', { name: 'Test' }));
    await within(openai).findByText('The key works.');
    expect(f.callsTo('keys:test').at(-1)?.input).toEqual({ provider: 'openai' });

    fireEvent.click(within(openai).getByRole('button', { name: 'Clear' }));
    await within(openai).findByText('Not set');
  });

  it('saves routing, numbers and theme as they change, and applies the theme live', async () => {
    const { f, saved, dialog } = open();
    const routing = await within(dialog).findByRole('combobox', { name: 'Provider for Collecting basics' });
    fireEvent.change(routing, { target: { value: 'anthropic' } });
    await waitFor(() => expect(saved.at(-1)?.routing.COLLECTING_BASICS).toBe('anthropic'));

    const threshold = within(dialog).getByRole('spinbutton', { name: 'Confidence threshold' });
    fireEvent.change(threshold, { target: { value: '1.5' } });
    expect(within(dialog).getByText('Between 0 and 1.')).toBeTruthy();
    fireEvent.blur(threshold);
    fireEvent.change(threshold, { target: { value: '0.75' } });
    fireEvent.blur(threshold);
    await waitFor(() => expect(f.settings.confidenceThreshold).toBe(0.75));
    expect(f.callsTo('settings:set').some((c) => (c.input as { confidenceThreshold?: number }).confidenceThreshold === 1.5)).toBe(false);

    fireEvent.click(within(dialog).getByRole('radio', { name: 'Dark' }));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    // The saved choice has rendered (the theme is applied a moment before): only now is "System" a change.
    await waitFor(() => expect((within(dialog).getByRole('radio', { name: 'Dark' }) as HTMLInputElement).checked).toBe(true));
    fireEvent.click(within(dialog).getByRole('radio', { name: 'System' }));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined());
    expect(within(dialog).getByText('/home/me/.config/Parley')).toBeTruthy();
  });

  it('shows a choice at once while it saves, and puts the old one back if the save fails', async () => {
    const { f, dialog } = open();
    let fail: (e: Error) => void = () => {};
    f.handlers['settings:set'] = () => new Promise((_, reject) => (fail = reject));
    const dark = (await within(dialog).findByRole('radio', { name: 'Dark' })) as HTMLInputElement;
    fireEvent.click(dark);
    expect(dark.checked).toBe(true);
    fail(new Error('disk full'));
    await waitFor(() => expect((within(dialog).getByRole('radio', { name: 'System' }) as HTMLInputElement).checked).toBe(true));
    expect(within(dialog).getByText(/^Theme: /)).toBeTruthy();
  });

  it('sets and removes the local endpoint', async () => {
    const { f, dialog } = open();
    const url = await within(dialog).findByRole('textbox', { name: 'Base URL' });
    fireEvent.change(url, { target: { value: 'http://127.0.0.1:11434/v1' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Model' }), { target: { value: 'llama3.1' } });
    fireEvent.blur(within(dialog).getByRole('textbox', { name: 'Model' }));
    await waitFor(() => expect(f.settings.localEndpoint).toEqual({ baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.1' }));
    fireEvent.change(url, { target: { value: '' } });
    fireEvent.blur(url);
    await waitFor(() => expect(f.settings.localEndpoint).toBeNull());
  });

  // Issue 17.12: a plain-http URL to another machine is saved only after the user confirms it.
  it('asks before saving a plain-http local endpoint on another machine', async () => {
    const { f, dialog } = open();
    const url = await within(dialog).findByRole('textbox', { name: 'Base URL' });
    const model = within(dialog).getByRole('textbox', { name: 'Model' });
    fireEvent.change(url, { target: { value: 'http://10.0.0.5:11434/v1' } });
    fireEvent.change(model, { target: { value: 'llama3.1' } });
    fireEvent.blur(model);
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toMatch(/plain http to another machine/);
    expect(f.callsTo('settings:set')).toEqual([]);
    fireEvent.click(within(alert).getByRole('button', { name: 'Cancel' }));
    expect(within(dialog).queryByRole('alert')).toBeNull();
    expect(f.callsTo('settings:set')).toEqual([]);

    fireEvent.blur(model);
    fireEvent.click(within(await within(dialog).findByRole('alert')).getByRole('button', { name: 'Use plain http' }));
    await waitFor(() => expect(f.settings.localEndpoint).toEqual({ baseURL: 'http://10.0.0.5:11434/v1', model: 'llama3.1', allowInsecureRemote: true }));
    // What the dialog sends passes the real contract (the fake backend does not validate).
    for (const call of f.callsTo('settings:set')) expect(channels['settings:set'].input.safeParse(call.input).success).toBe(true);
    // Confirmed once for this URL: changing only the model does not ask again.
    fireEvent.change(model, { target: { value: 'qwen3' } });
    fireEvent.blur(model);
    await waitFor(() => expect(f.settings.localEndpoint).toMatchObject({ model: 'qwen3', allowInsecureRemote: true }));
    expect(within(dialog).queryByRole('alert')).toBeNull();
  });

  it('keeps focus inside and closes with Escape', async () => {
    let closed = 0;
    const f = fakeParley();
    render(<SettingsDialog api={f.api} info={info} onClose={() => closed++} onSaved={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    expect(dialog.contains(document.activeElement)).toBe(true);
    await within(dialog).findByRole('group', { name: 'OpenAI API key' });
    const close = within(dialog).getByRole('button', { name: 'Close' });
    close.focus();
    fireEvent.keyDown(close, { key: 'Tab', shiftKey: true });
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(document.activeElement).not.toBe(close);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(closed).toBe(1);
  });
});
