import { useState } from 'react';
import type { DiffChange, VersionDiff } from '../../../shared/versions';

const KIND_MARK: Record<DiffChange['kind'], string> = { added: '+', removed: '−', changed: '~', renamed: '→' };

/** A prompt's word diff: removed words struck through, added words marked, the rest as it was. */
function Words({ change }: { change: DiffChange }) {
  return (
    <p className="version-words">
      {change.words?.map((w, i) =>
        w.op === 'add' ? (
          <ins key={i}>{w.text}</ins>
        ) : w.op === 'del' ? (
          <del key={i}>{w.text}</del>
        ) : (
          <span key={i}>{w.text}</span>
        ),
      )}
    </p>
  );
}

function ChangeItem({ change }: { change: DiffChange }) {
  const [open, setOpen] = useState(false);
  return (
    <li className={`version-change version-change-${change.kind}`} data-path={change.path}>
      <span className="version-change-mark" aria-hidden="true">
        {KIND_MARK[change.kind]}
      </span>
      <span className="version-change-line">{change.line}</span>
      {change.words ? (
        <button type="button" className="button button-small version-words-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide words' : 'Show words'}
        </button>
      ) : null}
      {open ? <Words change={change} /> : null}
    </li>
  );
}

/** The changes between two versions, one readable line each (the same lines as `parley diff`). */
export function VersionDiffView({ diff }: { diff: VersionDiff }) {
  const label = `Changes from ${diff.from} to ${diff.to}`;
  if (diff.changes.length === 0) return <p className="version-diff-empty">No change between {diff.from} and {diff.to}.</p>;
  return (
    <ul className="version-diff" aria-label={label}>
      {diff.changes.map((c, i) => (
        <ChangeItem key={`${c.path}-${i}`} change={c} />
      ))}
    </ul>
  );
}
