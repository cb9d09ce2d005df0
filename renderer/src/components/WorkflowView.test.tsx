import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { WorkflowView } from './WorkflowView';
import { AgentSpec } from '../../../shared/spec';

afterEach(cleanup);
const f = <T,>(value: T) => ({ value, confidence: 1, source: 'm1', locked: false });

describe('WorkflowView', () => {
  it('draws greeting, request, each tool with its trigger and error path, and the closing', () => {
    const spec = AgentSpec.parse({
      agent_type: f('customer support agent'),
      goals: f('Track orders'),
      first_message: f('Hi, thanks for calling!'),
      tools: [
        { name: f('get_order_status'), method: f('GET'), endpoint: f('https://api.example.com/orders/{order_id}'), trigger: f('When the caller asks where their order is'), error_handling: f('Apologise and offer a human agent') },
        { name: f('start_return'), trigger: f('When the caller wants to return an item') },
      ],
    });
    render(<WorkflowView spec={spec} title="Support" theme="light" />);
    const svg = screen.getByRole('img', { name: /^Workflow of Support: Greeting, then Understand the request, then get_order_status/ });
    const texts = [...svg.querySelectorAll('text')].map((t) => t.textContent);
    expect(texts).toEqual(expect.arrayContaining(['Greeting', 'get_order_status', 'start_return', 'Anything else', 'Close or hand off']));
    const all = [...svg.querySelectorAll('tspan')].map((t) => t.textContent).join(' ');
    expect(all.replace(/\s+/g, '')).toContain('GETapi.example.com/orders/{order_id}'); // a long URL breaks across lines
    expect(all).toContain('When the caller asks where');
    expect(all).toContain('Apologise and offer a human');
    expect(all).toContain('Error handling not set yet.');
    expect(all).toContain('When the caller asks where their order is');
    expect(svg.querySelectorAll('[data-edge^="e-error-"]')).toHaveLength(2);
  });

  it('asks for the agent type before drawing', () => {
    render(<WorkflowView spec={AgentSpec.parse({})} title="" theme="dark" />);
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByText(/appears once Parley knows/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'SVG' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('WorkflowView zoom', () => {
  it('draws at 100% by default and zooms in, out and back with the toolbar and keys', () => {
    const spec = AgentSpec.parse({ agent_type: f('support'), tools: [{ name: f('one') }, { name: f('two') }] });
    render(<WorkflowView spec={spec} title="Support" theme="light" />);
    const svg = screen.getByRole('img', { name: /^Workflow of Support/ });
    const natural = Number(svg.getAttribute('viewBox')!.split(' ')[2]);
    const width = () => Number(svg.getAttribute('width'));
    expect(width()).toBe(natural);
    for (const t of svg.querySelectorAll('text')) expect(Number(t.getAttribute('font-size'))).toBeGreaterThanOrEqual(12);
    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(width()).toBeCloseTo(natural * 1.25, 0);
    fireEvent.click(screen.getByRole('button', { name: /^Zoom 125%/ }));
    expect(width()).toBe(natural);
    const view = screen.getByRole('group', { name: 'Workflow diagram' });
    fireEvent.keyDown(view, { key: '-' });
    expect(width()).toBeCloseTo(natural * 0.8, 0);
    fireEvent.keyDown(view, { key: '0' });
    expect(width()).toBe(natural);
  });

  it('opens a large view of the same diagram', () => {
    const spec = AgentSpec.parse({ agent_type: f('support') });
    render(<WorkflowView spec={spec} title="Support" theme="dark" />);
    fireEvent.click(screen.getByRole('button', { name: 'Open the workflow in a large view' }));
    const dialog = screen.getByRole('dialog', { name: 'Workflow of Support' });
    expect(within(dialog).getByRole('img', { name: /^Workflow of Support/ })).toBeTruthy();
  });
});
