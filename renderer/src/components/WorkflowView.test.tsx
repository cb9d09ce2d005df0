import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
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
