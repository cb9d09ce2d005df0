import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { AgentSpec } from '../../../shared/spec';
import { StageTracker } from './StageTracker';

afterEach(cleanup);

describe('StageTracker', () => {
  it('marks earlier stages done, the current one as the step and later ones to do', () => {
    render(<StageTracker stage="EXPLORING_TOOLS" awaiting="use_tools" />);
    const items = within(screen.getByRole('list', { name: 'Stages' })).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.stage-name')?.textContent)).toEqual([
      'Getting started',
      'Collecting basics',
      'Exploring tools',
      'Configuring tools',
      'Reviewing workflow',
      'Finalizing',
      'Completed',
    ]);
    expect(items.map((li) => li.getAttribute('aria-current'))).toEqual([null, null, 'step', null, null, null, null]);
    expect(items[0]!.textContent).toContain(', done');
    expect(items[2]!.textContent).toContain(', current');
    expect(items[2]!.textContent).toContain('Asking about needs tools');
    expect(items[3]!.textContent).toContain(', to do');
  });

  it('shows every stage done when the interview is complete', () => {
    render(<StageTracker stage="COMPLETED" awaiting={null} />);
    const items = within(screen.getByRole('list', { name: 'Stages' })).getAllByRole('listitem');
    expect(items.every((li) => li.textContent?.includes(', done'))).toBe(true);
    expect(items[6]!.getAttribute('aria-current')).toBe('step');
  });

  it('lists what the current stage still needs', () => {
    const spec = AgentSpec.parse({ agent_type: { value: 'support', confidence: 1, source: 'm1' } });
    render(<StageTracker stage="COLLECTING_BASICS" awaiting="goals" spec={spec} />);
    const current = screen.getByRole('list', { name: 'Stages' }).querySelector('[aria-current="step"]')!;
    expect(current.textContent).toContain('Asking about goals');
    expect(current.textContent).toContain('Still needed: tone');
  });

  it('asks before going back to a done stage; Cancel and Escape do nothing', () => {
    const went: string[] = [];
    render(<StageTracker stage="CONFIGURING_TOOLS" awaiting={null} onGoBack={(s) => went.push(s)} />);
    // The first stage cannot be reopened; stages not reached yet are not buttons.
    expect(screen.queryByRole('button', { name: 'Getting started' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reviewing workflow' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Exploring tools' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Go back to Exploring tools?' })).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(screen.getByRole('button', { name: 'Collecting basics' }));
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(went).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Collecting basics' }));
    const dialog = screen.getByRole('dialog', { name: 'Go back to Collecting basics?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Go back' }));
    fireEvent.click(document.activeElement!);
    expect(went).toEqual(['COLLECTING_BASICS']);
  });
});
