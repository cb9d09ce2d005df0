import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import type { Session } from '../../../shared/session';
import { PromptDialog } from './PromptDialog';
import { fakeParley, generatedPrompt, makeSession } from '../test/fakeParley';

afterEach(cleanup);

const A = '00000000-0000-4000-8000-00000000000a';
const f = <T,>(value: T, extra: { source?: string; locked?: boolean } = {}) => ({ value, confidence: 1, source: extra.source ?? 'm1', locked: extra.locked ?? false });

/** A prompt of 6,000 characters in 60 lines, each line different. */
const LONG = Array.from({ length: 60 }, (_, i) => `Line ${String(i).padStart(2, '0')}: ${'word '.repeat(18)}`.padEnd(99, '.')).join('\n');

/** The dialog wired to the fake backend the way the app wires it: every answer replaces the session. */
function Harness({ fake, initial }: { fake: ReturnType<typeof fakeParley>; initial: Session }) {
  const [session, setSession] = useState(initial);
  return (
    <PromptDialog
      api={fake.api}
      session={session}
      onEdit={async (path, value) => setSession(await fake.api.spec.edit({ sessionId: session.id, path, value }))}
      onLock={async (path, locked) => setSession(await fake.api.spec.lock({ sessionId: session.id, path, locked }))}
      onRegenerate={async () => setSession(await fake.api.spec.regenerate({ sessionId: session.id, path: 'system_prompt' }))}
      onClose={() => {}}
    />
  );
}

function setup(prompt: string, extra: { source?: string; locked?: boolean } = {}) {
  const session = makeSession({ id: A, title: 'Pharmacy refills', stage: 'COMPLETED', spec: { system_prompt: f(prompt, extra), tools: [], candidates: {} } });
  const fake = fakeParley([session]);
  render(<Harness fake={fake} initial={session} />);
  return { fake, dialog: screen.getByRole('dialog', { name: 'System prompt' }) };
}

describe('PromptDialog', () => {
  it('shows a 6,000-character prompt in full, with its word and token counts', async () => {
    expect(LONG.length).toBeGreaterThanOrEqual(5999);
    const { dialog } = setup(LONG);
    const box = within(dialog).getByRole('textbox', { name: 'System prompt text' }) as HTMLTextAreaElement;
    expect(box.value).toBe(LONG);
    expect(box.value.length).toBe(LONG.length);
    const words = LONG.trim().split(/\s+/).length;
    expect(within(dialog).getByText(new RegExp(`^${words.toLocaleString('en-US')} words · ≈ ${Math.ceil(LONG.length / 4).toLocaleString('en-US')} tokens`))).toBeTruthy();
    // Focus starts in the text, so it can be read and edited from the keyboard at once.
    expect(document.activeElement).toBe(box);
  });

  it('keeps an edit after "Keep my edit": saved, locked, and still shown', async () => {
    const { fake, dialog } = setup(LONG);
    const box = within(dialog).getByRole('textbox', { name: 'System prompt text' }) as HTMLTextAreaElement;
    const edited = `${LONG}\nAlways confirm the pharmacy branch.`;
    fireEvent.change(box, { target: { value: edited } });
    expect(within(dialog).getByText(/words · ≈/).textContent).toContain('unsaved changes');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep my edit' }));
    await within(dialog).findByText(/^Kept\. The interview will not change this prompt/);
    expect(fake.callsTo('spec:edit')).toEqual([{ channel: 'spec:edit', input: { sessionId: A, path: 'system_prompt', value: edited } }]);
    expect(fake.sessions.get(A)?.spec.system_prompt).toMatchObject({ value: edited, locked: true, source: 'user-edit' });
    expect(box.value).toBe(edited);
    expect(within(dialog).getByText(/words · ≈/).textContent).toContain('edited by you');
    expect((within(dialog).getByRole('button', { name: 'Keep my edit' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('compares the prompt with the generated one, line by line', async () => {
    const mine = generatedPrompt({ title: 'Pharmacy refills' }).replace('Be helpful.', 'Be brief.');
    const { dialog } = setup(mine, { source: 'user-edit', locked: true });
    fireEvent.click(within(dialog).getByRole('tab', { name: 'Compare with generated' }));
    const diff = await within(dialog).findByRole('region', { name: 'Differences from the generated prompt' });
    const lines = [...diff.querySelectorAll('.diff-line')].map((l) => `${l.className.replace('diff-line diff-', '')}:${l.textContent?.replace(/^[−+ ]/, '').replace(/^(Added|Removed): /, '')}`);
    expect(lines).toEqual(['same:You are Pharmacy refills.', 'removed:Be helpful.', 'added:Be brief.', 'same:End politely.']);
  });

  it('regenerates: the hand edit goes, the generated prompt comes back unlocked', async () => {
    const { fake, dialog } = setup('My own prompt', { source: 'user-edit', locked: true });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Regenerate' }));
    await within(dialog).findByText('Regenerated from the spec.');
    expect(fake.callsTo('spec:regenerate')).toEqual([{ channel: 'spec:regenerate', input: { sessionId: A, path: 'system_prompt' } }]);
    const box = within(dialog).getByRole('textbox', { name: 'System prompt text' }) as HTMLTextAreaElement;
    await waitFor(() => expect(box.value).toBe(generatedPrompt({ title: 'Pharmacy refills' })));
    expect(fake.sessions.get(A)?.spec.system_prompt?.locked).toBe(false);
  });
});
