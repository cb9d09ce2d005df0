import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
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

  it('renders text as text, never as markup', () => {
    const spec = AgentSpec.parse({ goals: f('<img src=x onerror=alert(1)>') });
    render(<SpecPanel spec={spec} awaiting={null} />);
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
  });
});
