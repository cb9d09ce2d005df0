import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { VersionDiffView } from './VersionDiffView';
import { VersionsDialog } from './VersionsDialog';
import { fakeParley, makeSession } from '../test/fakeParley';
import { VersionDiff, type VersionInfo, type VersionList } from '../../../shared/versions';
import goldens from '../../../tests/support/__golden__/version-diffs.json';

const A = '00000000-0000-4000-8000-00000000000a';

afterEach(cleanup);

describe('VersionDiffView', () => {
  it.each(goldens.map((g) => [g.name, g] as const))('shows the golden change "%s" as one readable line', (_name, golden) => {
    const diff = VersionDiff.parse(golden.diff);
    render(<VersionDiffView diff={diff} />);
    const list = screen.getByRole('list', { name: `Changes from ${diff.from} to ${diff.to}` });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    const line = items[0]!.querySelector('.version-change-line');
    expect(line?.textContent).toBe(diff.changes[0]!.line);
    expect(line?.textContent).not.toMatch(/\n/);
  });

  it('opens a prompt edit as a word diff', () => {
    const diff = VersionDiff.parse(goldens.find((g) => g.name === 'prompt edit')!.diff);
    render(<VersionDiffView diff={diff} />);
    fireEvent.click(screen.getByRole('button', { name: 'Show words' }));
    const words = document.querySelector('.version-words')!;
    expect(words.querySelector('del')?.textContent).toBe('cálido ');
    expect(words.querySelector('ins')?.textContent).toBe('amable ');
  });
});

describe('VersionsDialog', () => {
  const versions: VersionInfo[] = [
    { id: 'v1', at: '2027-03-01T09:00:00.000Z', cause: 'import', summary: 'First version: restaurant booking assistant, 2 tools, completed' },
    { id: 'v2', at: '2027-03-01T09:05:00.000Z', cause: 'edit', summary: 'Tool "cancel_reservation": method DELETE → POST' },
  ];

  function fake() {
    const f = fakeParley([makeSession({ id: A, title: 'La Tasca' })]);
    let list: VersionList = { versions: [...versions], releases: [{ version: 'v2', kind: 'export', target: 'elevenlabs', where: '/home/me/la-tasca', at: '2027-03-01T09:06:00.000Z' }] };
    f.handlers['versions:list'] = () => list;
    f.handlers['versions:diff'] = (input) => ({ ...(input as { from: string; to: string }), changes: [{ section: 'tools', path: 'tools[1].method', kind: 'changed', line: 'Tool "cancel_reservation": method DELETE → POST' }] });
    f.handlers['versions:restore'] = (input) => {
      const { version } = input as { version: string };
      const added: VersionInfo = { id: `v${list.versions.length + 1}`, at: '2027-03-01T09:10:00.000Z', cause: 'restore', summary: `Restored ${version}`, restoredFrom: version };
      const undo = list.versions.at(-1)!.id;
      list = { ...list, versions: [...list.versions, added] };
      return { session: f.sessions.get(A), version: added, undo };
    };
    f.handlers['versions:snapshot'] = (input) => {
      const added: VersionInfo = { id: `v${list.versions.length + 1}`, at: '2027-03-01T09:12:00.000Z', cause: 'named', name: (input as { name: string }).name, summary: 'No change since v2' };
      list = { ...list, versions: [...list.versions, added] };
      return added;
    };
    return f;
  }

  it('lists versions with time, cause, summary and where they went, and compares the last two', async () => {
    const f = fake();
    render(<VersionsDialog api={f.api} sessionId={A} onClose={() => {}} onRestored={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Versions' });
    const list = within(dialog).getByRole('region', { name: 'Version list' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    const [newest] = within(list).getAllByRole('listitem');
    expect(newest!.textContent).toContain('v2');
    expect(newest!.textContent).toContain('Hand edits');
    expect(newest!.textContent).toContain('Tool "cancel_reservation": method DELETE → POST');
    expect(newest!.textContent).toContain('Exported as elevenlabs to /home/me/la-tasca');
    const changes = await within(dialog).findByRole('list', { name: 'Changes from v1 to v2' });
    expect(within(changes).getAllByRole('listitem').map((li) => li.querySelector('.version-change-line')?.textContent)).toEqual(['Tool "cancel_reservation": method DELETE → POST']);
  });

  it('restores a version, offers to undo it, and saves a version by name', async () => {
    const f = fake();
    const restored: string[] = [];
    render(<VersionsDialog api={f.api} sessionId={A} onClose={() => {}} onRestored={(s) => restored.push(s.id)} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Restore v1' }));
    expect(await screen.findByText(/Restored v1 as v3\./)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Undo restore' }));
    expect(await screen.findByText(/Restore undone: the design is back as v4\./)).toBeTruthy();
    expect(f.callsTo('versions:restore').map((c) => c.input)).toEqual([
      { sessionId: A, version: 'v1' },
      { sessionId: A, version: 'v2' },
    ]);
    expect(restored).toEqual([A, A]);

    fireEvent.change(screen.getByRole('textbox', { name: /Save the design as it is now/ }), { target: { value: 'before the big change' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save version' }));
    expect(await screen.findByText('Saved v5 “before the big change”.')).toBeTruthy();
  });
});
