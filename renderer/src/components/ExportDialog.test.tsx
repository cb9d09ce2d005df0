import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ExportDialog } from './ExportDialog';
import { fakeParley, makeSession } from '../test/fakeParley';
import type { AppInfo } from '../../../shared/ipc';

const A = '00000000-0000-4000-8000-00000000000a';
const info = (host: AppInfo['host']): AppInfo => ({ name: 'Parley', version: '1', host, platform: 'linux', dataDir: '/d' });

// jsdom has no object URLs and no downloads: record what the dialog hands to the browser.
const downloads: Array<{ name: string; blob: Blob }> = [];
let lastBlob: Blob | null = null;
beforeEach(() => {
  downloads.length = 0;
  vi.stubGlobal('URL', Object.assign(Object.create(URL), URL, { createObjectURL: (b: Blob) => ((lastBlob = b), 'blob:fake'), revokeObjectURL: () => {} }));
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, blob: lastBlob! });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function fake() {
  const f = fakeParley([makeSession({ id: A, title: 'Orders' })]);
  f.previews.elevenlabs = {
    format: 'elevenlabs',
    filename: 'orders.elevenlabs.json',
    content: '{\n  "name": "Orders"\n}\n',
    findings: [{ severity: 'warning', path: 'tools[0].endpoint', rule: 'endpoint-not-https', message: 'The endpoint uses http.', fix: 'Use https.' }],
    losses: [{ path: 'tools[0].auth', message: 'Create a secret named ORDERS_TOKEN.' }],
  };
  f.previews.vapi = {
    format: 'vapi',
    filename: 'orders.vapi.json',
    content: null,
    findings: [{ severity: 'error', path: 'system_prompt', rule: 'secret-in-spec', message: 'A key-shaped string is in the prompt.', fix: 'Replace it with a placeholder.' }],
    losses: [],
  };
  return f;
}

describe('ExportDialog', () => {
  it('previews the file with its warnings and losses, and downloads it in the preview host', async () => {
    const f = fake();
    const saved: string[] = [];
    render(<ExportDialog api={f.api} info={info('preview')} sessionId={A} onClose={() => {}} onSaved={(m) => saved.push(m)} />);
    const dialog = screen.getByRole('dialog', { name: 'Export' });
    const preview = await within(dialog).findByRole('region', { name: 'File preview' });
    expect(preview.textContent).toContain('"name": "Orders"');
    expect(within(dialog).getByRole('region', { name: 'Warnings' }).textContent).toContain('Tool 1 · Endpoint: The endpoint uses http. Use https.');
    expect(within(dialog).getByRole('region', { name: 'What this target cannot express' }).textContent).toContain('Tool 1 · Authentication Create a secret named ORDERS_TOKEN.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Download' }));
    expect(downloads.map((d) => d.name)).toEqual(['orders.elevenlabs.json']);
    expect(await downloads[0]!.blob.text()).toBe('{\n  "name": "Orders"\n}\n');
    expect(saved).toEqual(['Downloaded orders.elevenlabs.json.']);
    expect(f.callsTo('export:save')).toHaveLength(0);
  });

  it('blocks saving while lint errors stand, and says why', async () => {
    const f = fake();
    render(<ExportDialog api={f.api} info={info('electron')} sessionId={A} onClose={() => {}} onSaved={() => {}} />);
    fireEvent.click(screen.getByRole('radio', { name: /Vapi assistant/ }));
    const blocking = await screen.findByRole('region', { name: 'Problems that block export' });
    expect(blocking.textContent).toContain('System prompt: A key-shaped string is in the prompt. Replace it with a placeholder.');
    expect((screen.getByRole('button', { name: 'Save…' }) as HTMLButtonElement).disabled).toBe(true);
    expect(f.callsTo('export:preview').map((c) => (c.input as { format: string }).format)).toEqual(['elevenlabs', 'vapi']);
  });

  it('saves through export:save on the desktop and falls back to a download when unsupported', async () => {
    const f = fake();
    f.handlers['export:save'] = () => ({ file: '/home/me/orders.elevenlabs.json', warnings: [], losses: [] });
    const saved: string[] = [];
    const { unmount } = render(<ExportDialog api={f.api} info={info('electron')} sessionId={A} onClose={() => {}} onSaved={(m) => saved.push(m)} />);
    await screen.findByRole('region', { name: 'File preview' });
    fireEvent.click(screen.getByRole('button', { name: 'Save…' }));
    await waitFor(() => expect(saved).toEqual(['Saved /home/me/orders.elevenlabs.json.']));
    unmount();

    const g = fake(); // its export:save throws UNSUPPORTED, as the preview host does
    render(<ExportDialog api={g.api} info={info('electron')} sessionId={A} onClose={() => {}} onSaved={(m) => saved.push(m)} />);
    await screen.findByRole('region', { name: 'File preview' });
    fireEvent.click(screen.getByRole('button', { name: 'Save…' }));
    await waitFor(() => expect(downloads.map((d) => d.name)).toEqual(['orders.elevenlabs.json']));
  });

  it('closes with Escape', async () => {
    const f = fake();
    let closed = 0;
    render(<ExportDialog api={f.api} info={info('preview')} sessionId={A} onClose={() => closed++} onSaved={() => {}} />);
    await screen.findByRole('region', { name: 'File preview' });
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(closed).toBe(1);
  });
});
