import { useEffect, useMemo, useState } from 'react';
import type { ParleyApi } from '../../../shared/ipc';
import type { Session } from '../../../shared/session';
import { USER_EDIT } from '../../../shared/spec';
import { asParleyError } from '../../../shared/errors';
import { lineDiff, textStats } from '../lib/lineDiff';
import { Modal } from './Modal';

export interface PromptDialogProps {
  api: ParleyApi;
  session: Session;
  /** Sets the prompt by hand (the backend then locks it). */
  onEdit(path: 'system_prompt', value: string): Promise<void>;
  onLock(path: 'system_prompt', locked: boolean): Promise<void>;
  /** Drops the hand edit: the generated prompt comes back, unlocked. */
  onRegenerate(): Promise<void>;
  onClose(): void;
}

type View = 'edit' | 'diff';

/**
 * The system prompt, the thing the user ships, in full: read and edit it in a full-height box with
 * word and token counts, compare it with what the generator makes of the spec now, regenerate it,
 * or keep the edit (locked, so the interview leaves it alone).
 */
export function PromptDialog({ api, session, onEdit, onLock, onRegenerate, onClose }: PromptDialogProps) {
  const field = session.spec.system_prompt;
  const current = field?.value ?? '';
  const [draft, setDraft] = useState(current);
  const [base, setBase] = useState(current);
  const [view, setView] = useState<View>('edit');
  const [generated, setGenerated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  // A change from elsewhere (regenerated, a turn) replaces the text unless the user is editing it.
  useEffect(() => {
    if (current !== base) {
      if (draft === base) setDraft(current);
      setBase(current);
    }
  }, [current, base, draft]);

  useEffect(() => {
    let live = true;
    api.spec.generated({ sessionId: session.id }).then(
      (g) => live && setGenerated(g.system_prompt),
      () => live && setGenerated(null),
    );
    return () => {
      live = false;
    };
  }, [api, session.id, current]);

  const stats = useMemo(() => textStats(draft), [draft]);
  const diff = useMemo(() => (view === 'diff' && generated !== null ? lineDiff(generated, draft) : null), [view, generated, draft]);
  const dirty = draft !== current;
  const edited = field?.source === USER_EDIT || (generated !== null && current !== generated);

  const act = async (work: () => Promise<void>, done: string) => {
    setBusy(true);
    setNote(null);
    try {
      await work();
      setNote({ ok: true, text: done });
    } catch (e) {
      setNote({ ok: false, text: asParleyError(e).message });
    } finally {
      setBusy(false);
    }
  };
  const keep = () =>
    act(async () => {
      if (!draft.trim()) throw new Error('The prompt cannot be empty; regenerate it instead.');
      if (dirty) await onEdit('system_prompt', draft);
      else if (!field?.locked) await onLock('system_prompt', true);
      setBase(draft);
    }, 'Kept. The interview will not change this prompt; regenerate to get the generated one back.');
  const regenerate = () => act(onRegenerate, 'Regenerated from the spec.');

  return (
    <Modal
      title="System prompt"
      full
      onClose={onClose}
      description="What your agent is told before every call. Edit it here; keeping your edit locks it."
      footer={
        <>
          <span className="foot-note" role="status">
            {note ? <span className={note.ok ? 'saved-note' : 'field-error'}>{note.text}</span> : field?.locked ? 'Locked: your edit is kept.' : 'Generated from the spec.'}
          </span>
          <button type="button" className="button" disabled={busy || !field || (!edited && !field.locked && !dirty)} onClick={() => void regenerate()}>
            Regenerate
          </button>
          <button type="button" className="button button-primary" disabled={busy || !field || (!dirty && !!field.locked)} onClick={() => void keep()}>
            Keep my edit
          </button>
        </>
      }
    >
      {!field ? (
        <p className="panel-empty">The prompt is generated once the workflow is approved.</p>
      ) : (
        <div className="prompt-view">
          <div className="prompt-bar">
            <span className="prompt-stats" aria-live="polite">
              {stats.words.toLocaleString('en-US')} words · ≈ {stats.tokens.toLocaleString('en-US')} tokens
              {dirty ? ' · unsaved changes' : edited ? ' · edited by you' : ''}
            </span>
            <span className="segmented" role="tablist" aria-label="Prompt view">
              {(['edit', 'diff'] as const).map((v) => (
                <button key={v} type="button" role="tab" aria-selected={view === v} className={`segment${view === v ? ' is-checked' : ''}`} onClick={() => setView(v)}>
                  {v === 'edit' ? 'Edit' : 'Compare with generated'}
                </button>
              ))}
            </span>
          </div>
          {view === 'edit' ? (
            <textarea className="prompt-text" aria-label="System prompt text" value={draft} spellCheck onChange={(e) => setDraft(e.target.value)} data-autofocus />
          ) : generated === null ? (
            <p className="panel-empty">The generated version could not be loaded.</p>
          ) : diff === null ? (
            <p className="panel-empty">The prompts are too long to compare line by line.</p>
          ) : (
            <DiffView lines={diff} />
          )}
        </div>
      )}
    </Modal>
  );
}

function DiffView({ lines }: { lines: NonNullable<ReturnType<typeof lineDiff>> }) {
  const changed = lines.filter((l) => l.kind !== 'same').length;
  return (
    <div className="prompt-diff" role="region" aria-label="Differences from the generated prompt" tabIndex={0}>
      {changed === 0 ? <p className="hint">Same as the generated prompt.</p> : null}
      {lines.map((l, i) => (
        <div key={i} className={`diff-line diff-${l.kind}`}>
          <span className="diff-sign" aria-hidden="true">
            {l.kind === 'added' ? '+' : l.kind === 'removed' ? '−' : ' '}
          </span>
          <span className="visually-hidden">{l.kind === 'added' ? 'Added: ' : l.kind === 'removed' ? 'Removed: ' : ''}</span>
          {l.text || ' '}
        </div>
      ))}
    </div>
  );
}
