import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
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
});
