import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { SessionBrowser, ROW_HEIGHT, type SessionBrowserProps } from './SessionBrowser';
import type { SessionSummary } from '../../../shared/session';

afterEach(cleanup);

const summary = (i: number): SessionSummary => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  title: `Session ${i}`,
  stage: 'COLLECTING_BASICS',
  agentType: 'support',
  updatedAt: '2026-01-01T00:00:00.000Z',
  size: 10,
});

function setup(over: Partial<SessionBrowserProps> = {}) {
  const log: string[] = [];
  const total = over.total ?? 10_000;
  const props: SessionBrowserProps = {
    items: over.items ?? Array.from({ length: total }, (_, i) => summary(i)),
    total,
    quarantined: [],
    selectedId: null,
    search: '',
    loading: false,
    onSearch: (t) => log.push(`search:${t}`),
    onRange: (a, b) => log.push(`range:${a}-${b}`),
    onOpen: (id) => log.push(`open:${id.slice(-3)}`),
    onNew: () => log.push('new'),
    onRename: (id, t) => log.push(`rename:${id.slice(-3)}:${t}`),
    onSaveAsTemplate: (id, t) => log.push(`template:${id.slice(-3)}:${t}`),
    onDelete: (id, t) => log.push(`delete:${id.slice(-3)}:${t}`),
    ...over,
  };
  const view = render(<SessionBrowser {...props} />);
  return { log, props, view };
}

describe('SessionBrowser', () => {
  it('renders only the rows on screen of 10,000, and asks for more as it scrolls', () => {
    const { log } = setup();
    const list = screen.getByRole('list', { name: 'Sessions' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]!.getAttribute('aria-setsize')).toBe('10000');
    expect(screen.getByText('10000 sessions')).toBeTruthy();
    expect(log[0]).toMatch(/^range:0-\d+$/);

    const scroller = list.parentElement!;
    scroller.scrollTop = 5000 * ROW_HEIGHT;
    fireEvent.scroll(scroller);
    expect(within(list).getByRole('button', { name: 'Session 5000' })).toBeTruthy();
    expect(within(list).queryByRole('button', { name: 'Session 0' })).toBeNull();
    expect(log.at(-1)).toMatch(/^range:49\d\d-50\d\d$/);
  });

  it('shows loading rows for pages not fetched yet', () => {
    const items: Array<SessionSummary | undefined> = new Array(300);
    items[0] = summary(0);
    setup({ items, total: 300 });
    const list = screen.getByRole('list', { name: 'Sessions' });
    expect(within(list).getAllByRole('button', { name: 'Session 0' })).toHaveLength(1);
    expect(list.querySelectorAll('.is-loading').length).toBeGreaterThan(5);
  });

  it('is driven from the keyboard: arrows move, Enter opens, F2 renames, Delete deletes, Ctrl+D saves as a template', () => {
    const { log } = setup({ total: 50 });
    const search = screen.getByRole('searchbox', { name: 'Search sessions' });
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    expect(document.activeElement?.textContent).toBe('Session 0');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement?.textContent).toBe('Session 2');
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement?.textContent).toBe('Session 49');
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    fireEvent.click(document.activeElement!); // Enter on a button is a click
    fireEvent.keyDown(document.activeElement!, { key: 'd', ctrlKey: true });
    fireEvent.keyDown(document.activeElement!, { key: 'Delete' });
    fireEvent.keyDown(document.activeElement!, { key: 'F2' });
    const input = screen.getByRole('textbox', { name: 'New title for “Session 0”' });
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: 'Renamed' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(log.filter((l) => !l.startsWith('range'))).toEqual(['open:000', 'template:000:Session 0', 'delete:000:Session 0', 'rename:000:Renamed']);
    expect(document.activeElement?.textContent).toBe('Session 0');
  });

  it('cancels a rename with Escape and clears the search with Escape', () => {
    const { log } = setup({ total: 3, search: 'sess' });
    fireEvent.click(screen.getByRole('button', { name: 'Rename “Session 1”' }));
    const input = screen.getByRole('textbox', { name: 'New title for “Session 1”' });
    fireEvent.change(input, { target: { value: 'Nope' } });
    fireEvent.keyDown(input, { key: 'Escape' });
    fireEvent.keyDown(screen.getByRole('searchbox', { name: 'Search sessions' }), { key: 'Escape' });
    expect(log.filter((l) => !l.startsWith('range'))).toEqual(['search:']);
  });

  it('says when a search finds nothing, and that a search is still running', () => {
    setup({ total: 0, items: [], search: 'zebra', query: 'zebra' });
    expect(screen.getByText('No sessions match “zebra”.')).toBeTruthy();
    cleanup();
    setup({ total: 3, search: 'zebr', query: '' });
    expect(screen.getByText('Searching…')).toBeTruthy();
  });

  it('shows quarantined files with their reason', () => {
    setup({ total: 1, quarantined: [{ file: 'broken.json', reason: 'Unexpected end of JSON input', at: '2026-01-01T00:00:00.000Z' }] });
    expect(screen.getByText('1 file could not be opened')).toBeTruthy();
    const list = screen.getByRole('list', { name: 'Files that could not be opened' });
    expect(list.textContent).toContain('broken.json');
    expect(list.textContent).toContain('Unexpected end of JSON input');
  });
});
