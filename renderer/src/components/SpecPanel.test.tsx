import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ParleyError } from '../../../shared/errors';
import { SpecPanel } from './SpecPanel';
import { AgentSpec } from '../../../shared/spec';

afterEach(cleanup);

const f = <T,>(value: T, confidence = 0.9, locked = false) => ({ value, confidence, source: 'm1', locked });

describe('SpecPanel', () => {
  it('shows collected values with confidence, candidates as unconfirmed and highlights the awaited field', () => {
    const spec = AgentSpec.parse({
      agent_type: f('Appointment booking'),
      goals: f('Book, move and cancel dental appointments', 0.72),
      tools: [{ name: f('check_availability'), method: f('GET'), input_schema: f({ type: 'object', properties: { date: { type: 'string' } } }) }],
      use_tools: f(true, 1, true),
      candidates: { tone: { value: 'friendly', confidence: 0.4, source: 'm2' } },
    });
    render(<SpecPanel spec={spec} awaiting="tone" />);
    const panel = screen.getByRole('region', { name: 'Agent spec' });
    expect(within(panel).getByText('Appointment booking')).toBeTruthy();
    const goals = within(panel).getByRole('meter', { name: 'Goals confidence' }) as HTMLMeterElement;
    expect(goals.value).toBe(0.72);
    expect(within(panel).getByText('72%')).toBeTruthy();

    const tone = panel.querySelector('[data-field="tone"]')!;
    expect(tone.className).toContain('is-awaiting');
    expect(tone.textContent).toContain('Asking now');
    expect(tone.textContent).toContain('friendly');
    expect(tone.textContent).toContain('Unconfirmed');

    expect(panel.querySelector('[data-field="use_tools"]')!.textContent).toContain('Locked');
    const tool = within(panel).getByRole('group', { name: 'Tool 1: check_availability' });
    expect(tool.textContent).toContain('"date"');
    expect(panel.querySelector('[data-field="tools[0].endpoint"]')!.textContent).toContain('Not yet');
  });

  it('shows the call details a deployable agent has (business, direction, voicemail, transfers, after-call items) and edits them by path', async () => {
    const spec = AgentSpec.parse({
      business_name: f('Northwind Outfitters'),
      call_direction: f('outbound'),
      voicemail: f({ action: 'hang_up' }),
      transfers: [{ phone_number: f('+15035550199'), condition: f('The caller asks for a person') }],
      data_collection: [f({ name: 'order_number', type: 'string', description: 'Order number' })],
    });
    const edits: Array<[string, unknown]> = [];
    render(<SpecPanel spec={spec} awaiting="success_criteria[0]" onEdit={async (path, value) => void edits.push([path, value])} />);
    const panel = screen.getByRole('region', { name: 'Agent spec' });
    const group = (title: string) => within(panel).getByRole('heading', { level: 3, name: title }).closest<HTMLElement>('.spec-group')!;
    const calls = group('Calls');
    expect(calls.querySelector('[data-field="business_name"]')!.textContent).toContain('Northwind Outfitters');
    expect(calls.querySelector('[data-field="call_direction"]')!.textContent).toContain('outbound');
    expect(calls.querySelector('[data-field="voicemail"]')!.textContent).toContain('Hang up without a message');
    expect(calls.querySelector('[data-field="transfers[0].phone_number"]')!.textContent).toContain('+15035550199');
    expect(calls.querySelector('[data-field="timezone"]')!.textContent).toContain('Not yet');
    const after = group('Knowledge and after the call');
    expect(after.querySelector('[data-field="data_collection[0]"]')!.textContent).toContain('order_number (string): Order number');
    // The item the interview asks for now has its row before it has a value.
    expect(after.querySelector('[data-field="success_criteria[0]"]')!.textContent).toContain('Asking now');

    fireEvent.click(within(calls).getByRole('button', { name: 'Edit Business name' }));
    const input = within(calls).getByRole('textbox', { name: 'Business name value' });
    fireEvent.change(input, { target: { value: 'Northwind Outdoor' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(edits).toEqual([['business_name', 'Northwind Outdoor']]));
  });

  it("edits the deployed agent's voice, model and temperature in their own group", async () => {
    const edits: Array<[string, unknown]> = [];
    render(<SpecPanel spec={AgentSpec.parse({ llm: f('gpt-4o-mini') })} awaiting={null} onEdit={async (path, value) => void edits.push([path, value])} />);
    const panel = screen.getByRole('region', { name: 'Agent spec' });
    const group = within(panel).getByRole('heading', { level: 3, name: 'Voice and model' }).closest<HTMLElement>('.spec-group')!;
    expect(group.querySelector('[data-field="llm"]')!.textContent).toContain('gpt-4o-mini');
    expect(group.querySelector('[data-field="voice_id"]')!.textContent).toContain('Not yet');
    fireEvent.click(within(group).getByRole('button', { name: 'Edit Agent temperature' }));
    const input = within(group).getByRole('textbox', { name: 'Agent temperature value' });
    fireEvent.change(input, { target: { value: '0.3' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(edits).toEqual([['temperature', '0.3']]));
  });

  it('shows no voicemail row for an agent that answers calls', () => {
    render(<SpecPanel spec={AgentSpec.parse({ call_direction: f('inbound') })} awaiting={null} />);
    expect(screen.getByRole('region', { name: 'Agent spec' }).querySelector('[data-field="voicemail"]')).toBeNull();
  });

  it('marks a field skipped in the interview as still needed', () => {
    const spec = AgentSpec.parse({ tools: [{ name: f('lookup_order') }], parked: ['tools[0].output_schema'] });
    render(<SpecPanel spec={spec} awaiting="tools[0].trigger" />);
    const skipped = screen.getByRole('region', { name: 'Agent spec' }).querySelector('[data-field="tools[0].output_schema"]')!;
    expect(skipped.textContent).toContain('Still needed');
    expect(skipped.textContent).toContain('Skipped for now');
    const other = screen.getByRole('region', { name: 'Agent spec' }).querySelector('[data-field="tools[0].endpoint"]')!;
    expect(other.textContent).not.toContain('Still needed');
  });

  it('renders text as text, never as markup', () => {
    const spec = AgentSpec.parse({ goals: f('<img src=x onerror=alert(1)>') });
    render(<SpecPanel spec={spec} awaiting={null} />);
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
  });

  it('locks and unlocks a value, and confirms an unconfirmed candidate by locking it', async () => {
    const spec = AgentSpec.parse({ goals: f('Book appointments'), candidates: { tone: { value: 'friendly', confidence: 0.4, source: 'm2' } } });
    const calls: Array<[string, boolean]> = [];
    render(<SpecPanel spec={spec} awaiting={null} onLock={async (path, locked) => void calls.push([path, locked])} />);
    const lock = screen.getByRole('button', { name: 'Lock Goals' });
    expect(lock.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(lock);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(calls).toEqual([['goals', true], ['tone', true]]));

    cleanup();
    const locked = AgentSpec.parse({ goals: f('Book appointments', 1, true) });
    render(<SpecPanel spec={locked} awaiting={null} onLock={async (path, l) => void calls.push([path, l])} />);
    const unlock = screen.getByRole('button', { name: 'Unlock Goals' });
    expect(unlock.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(unlock);
    await waitFor(() => expect(calls.at(-1)).toEqual(['goals', false]));
  });

  it('edits inline and shows the backend’s refusal next to the field', async () => {
    const spec = AgentSpec.parse({ tools: [{ name: f('get_order'), endpoint: f('https://api.example.com/orders/{id}') }] });
    const edits: Array<[string, unknown]> = [];
    render(
      <SpecPanel
        spec={spec}
        awaiting={null}
        onEdit={async (path, value) => {
          edits.push([path, value]);
          if (path.endsWith('endpoint')) throw new ParleyError('INVALID_INPUT', 'The endpoint must be an absolute http(s) URL.');
        }}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Edit Endpoint' }));
    const input = screen.getByRole('textbox', { name: 'Endpoint value' });
    fireEvent.change(input, { target: { value: '/orders/{id}' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect((await screen.findByRole('alert')).textContent).toBe('The endpoint must be an absolute http(s) URL.');
    expect(screen.getByRole('textbox', { name: 'Endpoint value' })).toBeTruthy(); // still editing

    fireEvent.click(screen.getByRole('button', { name: 'Edit Method' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Method value' }), { target: { value: 'POST' } });
    fireEvent.click(within(screen.getByRole('combobox', { name: 'Method value' }).closest('.editor') as HTMLElement).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(edits).toEqual([['tools[0].endpoint', '/orders/{id}'], ['tools[0].method', 'POST']]));
  });

  it('shows JSON Schema problems inline, in the code view and while editing', async () => {
    const spec = AgentSpec.parse({
      tools: [
        {
          endpoint: f('https://api.example.com/orders/{order_id}'),
          input_schema: f({ type: 'object', properties: { id: { type: 'strin', description: 'x' } }, required: ['id', 'ghost'] }),
        },
      ],
    });
    const edits: unknown[] = [];
    render(<SpecPanel spec={spec} awaiting={null} onEdit={async (_p, v) => void edits.push(v)} />);
    const problems = screen.getByRole('list', { name: 'Problems in Input schema' });
    const text = problems.textContent ?? '';
    expect(text).toContain('"strin" is not a JSON Schema type');
    expect(text).toContain('"ghost" is required but is not one of the properties.');
    expect(text).toContain('The endpoint uses {order_id}, but there is no "order_id" property.');

    fireEvent.click(screen.getByRole('button', { name: 'Edit Input schema' }));
    const box = screen.getByRole('textbox', { name: 'Input schema value' });
    fireEvent.change(box, { target: { value: '{"type": "object", "properties": {' } });
    expect(screen.getByText(/^Not valid JSON/)).toBeTruthy();
    const save = within(box.closest('.editor') as HTMLElement).getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(box, { target: { value: '{"type":"object","properties":{"order_id":{"type":"string","description":"The order"}},"required":["order_id"]}' } });
    expect(within(box.closest('.editor') as HTMLElement).queryByRole('list', { name: 'Problems in Input schema' })).toBeNull();
    fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(edits).toEqual([{ type: 'object', properties: { order_id: { type: 'string', description: 'The order' } }, required: ['order_id'] }]));
  });

  it('links a value to the message it came from', () => {
    const spec = AgentSpec.parse({ goals: f('Book appointments'), tone: { value: 'Calm', confidence: 1, source: 'user-edit', locked: true } });
    const shown: string[] = [];
    render(<SpecPanel spec={spec} awaiting={null} messageIds={new Set(['m1'])} onShowSource={(id) => shown.push(id)} />);
    fireEvent.click(screen.getByRole('button', { name: 'Show the message Goals came from' }));
    expect(shown).toEqual(['m1']);
    expect(screen.getByText('edited by you')).toBeTruthy();
  });
});

describe('SpecPanel long values', () => {
  it('edits a long value in a multi-line box, and a short one on one line', () => {
    const long = 'Ask for the caller’s name, date of birth and the prescription number, then confirm each back before going on.';
    const spec = AgentSpec.parse({ tone: f('Warm'), tools: [{ name: f('lookup'), trigger: f(long) }] });
    const edits: unknown[] = [];
    render(<SpecPanel spec={spec} awaiting={null} onEdit={async (path, value) => void edits.push([path, value])} />);
    const panel = screen.getByRole('region', { name: 'Agent spec' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Edit When to call' }));
    const box = within(panel).getByRole('textbox', { name: 'When to call value' });
    expect(box.tagName).toBe('TEXTAREA');
    // Enter is a new line in a long value; Ctrl+Enter saves.
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(edits).toEqual([]);
    fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    expect(edits).toEqual([['tools[0].trigger', long]]);
    fireEvent.click(within(panel).getByRole('button', { name: 'Edit Tone' }));
    expect(within(panel).getByRole('textbox', { name: 'Tone value' }).tagName).toBe('INPUT');
  });

  it('sends the system prompt to its own viewer: Edit, "Open prompt" and "Show all" all open it', () => {
    const prompt = 'You are a pharmacy refill assistant. '.repeat(40);
    const spec = AgentSpec.parse({ system_prompt: f(prompt) });
    let opened = 0;
    render(<SpecPanel spec={spec} awaiting={null} onEdit={async () => {}} onOpenPrompt={() => opened++} />);
    const row = screen.getByRole('region', { name: 'Agent spec' }).querySelector<HTMLElement>('[data-field="system_prompt"]')!;
    expect(row.querySelector('.value')!.textContent!.length).toBeLessThan(prompt.length);
    fireEvent.click(within(row).getByRole('button', { name: 'Edit System prompt' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Open prompt' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Show all of System prompt' }));
    expect(opened).toBe(3);
    expect(within(row).queryByRole('textbox')).toBeNull();
  });
});
