import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ToolTryDialog } from './ToolTryDialog';
import { fakeParley, makeSession } from '../test/fakeParley';
import type { ToolSpec } from '../../../shared/spec';
import type { TryResult, TrySecret } from '../../../shared/workbench';

const A = '00000000-0000-4000-8000-00000000000a';
afterEach(cleanup);

const field = <T,>(value: T) => ({ value, confidence: 1, source: 'user', locked: false, updatedAt: '2026-01-01T00:00:00.000Z' });
const tool: ToolSpec = {
  name: field('get_order'),
  endpoint: field('https://shop.test/orders/{order_id}'),
  method: field('GET' as const),
  auth: field({ type: 'bearer' as const, header: 'Authorization', secret_name: 'SHOP_API_TOKEN' }),
};
const answer: TryResult = {
  kind: 'response',
  tryId: 'x',
  request: { method: 'GET', url: 'https://shop.test/orders/1', headers: { authorization: '<secret SHOP_API_TOKEN>' } },
  status: 200,
  statusText: 'OK',
  latencyMs: 12,
  headers: {},
  body: '{}',
  json: true,
  size: 2,
  truncated: false,
  notice: null,
  problem: null,
  schema: { matches: true, changes: [], proposed: null },
};

function setup(secret: TrySecret | null) {
  const f = fakeParley([makeSession({ id: A, title: 'Shop' })]);
  f.handlers['tools:example-input'] = () => ({ input: { order_id: '1' }, secret });
  f.handlers['tools:try'] = () => answer;
  render(<ToolTryDialog api={f.api} sessionId={A} index={0} tool={tool} onClose={() => {}} onEdit={async () => {}} onSaved={() => {}} />);
  return { f, dialog: screen.getByRole('dialog', { name: 'Test-fire get_order' }) };
}

describe('ToolTryDialog', () => {
  it('takes the secret the keychain lacks, sends it with the request once, and does not keep it', async () => {
    const { f, dialog } = setup({ label: 'SHOP_API_TOKEN', holds: '"Bearer " followed by the access token', stored: false });
    const input = (await within(dialog).findByLabelText(/Secret SHOP_API_TOKEN/)) as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(input.placeholder).toMatch(/Not in the keychain/);
    fireEvent.change(input, { target: { value: '  tok-123  ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send request' }));
    await within(dialog).findByText(/200/);
    expect(f.callsTo('tools:try').map((c) => (c.input as { secret?: string }).secret)).toEqual(['tok-123']);
    expect(input.value).toBe('');
    expect(input.placeholder).toMatch(/Stored in the keychain/);

    // The next request uses the stored one: nothing typed, nothing sent.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send request' }));
    await waitFor(() => expect(f.callsTo('tools:try')).toHaveLength(2));
    expect(f.callsTo('tools:try')[1]!.input).not.toHaveProperty('secret');
  });

  it('keeps a typed secret while the new host is confirmed, and asks for none when the tool has no auth', async () => {
    const { f, dialog } = setup({ label: 'SHOP_API_TOKEN', holds: 'the token', stored: true });
    const input = (await within(dialog).findByLabelText(/Secret SHOP_API_TOKEN/)) as HTMLInputElement;
    f.handlers['tools:try'] = (i) => ((i as { confirmHost?: boolean }).confirmHost ? answer : { kind: 'confirm-host', host: 'shop.test', message: 'get_order has never called shop.test. Send a real request there?' });
    fireEvent.change(input, { target: { value: 'replacement' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send request' }));
    await within(dialog).findByText(/never called shop\.test/);
    expect(input.value).toBe('replacement');
    cleanup();

    const none = setup(null);
    await waitFor(() => expect(none.f.callsTo('tools:example-input')).toHaveLength(1));
    expect(within(none.dialog).queryByLabelText(/Secret/)).toBeNull();
  });
});
