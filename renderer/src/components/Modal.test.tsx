import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Modal } from './Modal';

afterEach(cleanup);

describe('Modal', () => {
  it('closes on Escape even when the focused control disabled itself and the focus fell to <body>', () => {
    let closed = 0;
    render(
      <Modal title="Work" onClose={() => closed++}>
        <button type="button">Start</button>
      </Modal>,
    );
    (document.activeElement as HTMLElement).blur();
    expect(document.activeElement).toBe(document.body);
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(closed).toBe(1);
  });

  it('only the topmost of two dialogs closes, once', () => {
    const closed: string[] = [];
    render(
      <>
        <Modal title="Under" onClose={() => closed.push('under')}>
          <p>a</p>
        </Modal>
        <Modal title="Over" onClose={() => closed.push('over')}>
          <button type="button">b</button>
        </Modal>
      </>,
    );
    fireEvent.keyDown(screen.getByRole('button', { name: 'b' }), { key: 'Escape' });
    (document.activeElement as HTMLElement).blur();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(closed).toEqual(['over', 'over']);
  });
});
