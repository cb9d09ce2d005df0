import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { PublishDialog } from './PublishDialog';
import { fakeParley, makeSession } from '../test/fakeParley';
import { ParleyError } from '../../../shared/errors';
import type { KeysStatus } from '../../../shared/keys';
import type { PublishResult } from '../../../shared/publish';

const A = '00000000-0000-4000-8000-00000000000a';
afterEach(cleanup);

const keys = (elevenlabs: boolean): KeysStatus => ({
  backend: 'keychain',
  backendMessage: null,
  providers: [{ provider: 'elevenlabs', set: elevenlabs, source: elevenlabs ? 'keychain' : null, last4: elevenlabs ? 'abcd' : null, readOnly: false }],
});
const secret = { label: 'ORDERS_API_TOKEN', tool: 'lookup_order', header: 'Authorization', holds: 'Bearer followed by the access token', stored: false };

function setup(opts: { key?: boolean; stored?: boolean } = {}) {
  const f = fakeParley([makeSession({ id: A, title: 'Orders' })]);
  f.setKeys(keys(opts.key ?? true));
  f.handlers['publish:secrets'] = () => ({ secrets: [{ ...secret, stored: opts.stored ?? false }] });
  const done: string[] = [];
  let addKey = 0;
  render(<PublishDialog api={f.api} session={f.sessions.get(A)!} onClose={() => {}} onAddKey={() => addKey++} onPublished={(m) => done.push(m)} />);
  return { f, done, addKey: () => addKey, dialog: screen.getByRole('dialog', { name: 'Publish to ElevenLabs' }) };
}

const result: PublishResult = { agentId: 'agent_1', toolIds: { lookup_order: 'tool_1' }, dashboardUrl: 'https://elevenlabs.io/app/agents/agents/agent_1', agent: 'created', steps: [] };

describe('PublishDialog', () => {
  it('asks for the tool secret before publishing, sends it once, streams the steps and links the live agent', async () => {
    const { f, done, dialog } = setup();
    const field = await within(dialog).findByLabelText(/ORDERS_API_TOKEN/);
    const button = within(dialog).getByRole('button', { name: 'Publish' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true); // the secret is missing
    fireEvent.change(field, { target: { value: 's3cret-value' } });
    await waitFor(() => expect(button.disabled).toBe(false));
    f.handlers['publish:run'] = () => {
      f.emit('publish:progress', { sessionId: A, step: 'secrets', status: 'done', detail: 'Created ORDERS_API_TOKEN' });
      f.emit('publish:progress', { sessionId: '00000000-0000-4000-8000-00000000000b', step: 'tools', status: 'failed', detail: 'another session' });
      f.emit('publish:progress', { sessionId: A, step: 'tools', status: 'done', detail: 'Created lookup_order' });
      return result;
    };
    fireEvent.click(button);
    await waitFor(() => expect(done).toEqual(['The agent is live on ElevenLabs.']));
    expect(f.callsTo('publish:run').map((c) => c.input)).toEqual([{ sessionId: A, secrets: { ORDERS_API_TOKEN: 's3cret-value' } }]);
    const steps = within(dialog).getByRole('list', { name: 'Publish steps' });
    expect(within(steps).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Create the secrets for tool authenticationDoneCreated ORDERS_API_TOKEN',
      'Create or update the toolsDoneCreated lookup_order',
      'Upload the knowledge baseWaiting',
      'Create or update the agentWaiting',
    ]);
    expect(within(dialog).getByRole('link', { name: 'Open it in ElevenLabs' }).getAttribute('href')).toBe(result.dashboardUrl);
    expect((field as HTMLInputElement).value).toBe(''); // not kept in the renderer after use
  });

  it('names the failed step and offers to publish again, which retries', async () => {
    const { f, dialog } = setup({ stored: true });
    const button = within(dialog).getByRole('button', { name: 'Publish' }) as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false)); // a stored secret needs no typing
    f.handlers['publish:run'] = () => {
      f.emit('publish:progress', { sessionId: A, step: 'tools', status: 'failed', detail: 'ElevenLabs refused the request (422)' });
      throw new ParleyError('INVALID_INPUT', 'ElevenLabs refused the request (422): bad url');
    };
    fireEvent.click(button);
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Create or update the tools failed.');
    expect(alert.textContent).toContain('bad url');
    f.handlers['publish:run'] = () => result;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Publish again' }));
    await within(dialog).findByRole('link', { name: 'Open it in ElevenLabs' });
    expect(f.callsTo('publish:run').map((c) => c.input)).toEqual([{ sessionId: A }, { sessionId: A }]);
  });

  it('without an ElevenLabs key, says so and leads to Settings instead of publishing', async () => {
    const { addKey, dialog } = setup({ key: false, stored: true });
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Publishing needs your ElevenLabs API key.');
    expect((within(dialog).getByRole('button', { name: 'Publish' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add ElevenLabs key' }));
    expect(addKey()).toBe(1);
  });
});
