import { useCallback, useEffect, useState } from 'react';
import type { ParleyApi } from '../../../shared/ipc';
import type { Session } from '../../../shared/session';
import { VERSION_CAUSE_LABELS, type VersionDiff, type VersionId, type VersionInfo, type VersionList } from '../../../shared/versions';
import { asParleyError } from '../../../shared/errors';
import { Modal } from './Modal';
import { VersionDiffView } from './VersionDiffView';
import '../styles/versions.css';

export interface VersionsDialogProps {
  api: ParleyApi;
  sessionId: string;
  onClose(): void;
  /** A restore changed the session: show it. */
  onRestored(session: Session): void;
}

const when = (at: string) => {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
};

function VersionRow({ version, list, selected, onSelect, onRestore }: { version: VersionInfo; list: VersionList; selected: boolean; onSelect(): void; onRestore(): void }) {
  const releases = list.releases.filter((r) => r.version === version.id);
  return (
    <li className={`version-row${selected ? ' version-row-selected' : ''}`}>
      <button type="button" className="version-pick" aria-pressed={selected} onClick={onSelect}>
        <span className="version-id">{version.id}</span>
        <time dateTime={version.at}>{when(version.at)}</time>
        <span className="version-cause">{VERSION_CAUSE_LABELS[version.cause]}</span>
        <span className="version-summary">
          {version.name ? <strong>“{version.name}” </strong> : null}
          {version.summary}
        </span>
      </button>
      {releases.map((r, i) => (
        <span key={i} className="version-release">
          {r.kind === 'publish' ? `Published to ElevenLabs (${r.where})` : `Exported as ${r.target} to ${r.where}`}
        </span>
      ))}
      <button type="button" className="button button-small" onClick={onRestore} aria-label={`Restore ${version.id}`}>
        Restore
      </button>
    </li>
  );
}

function RestoreStatus({ status, onUndo }: { status: { text: string; undo?: VersionId }; onUndo(id: VersionId): void }) {
  return (
    <p className="version-status" role="status">
      {status.text}{' '}
      {status.undo ? (
        <button type="button" className="button button-small" onClick={() => onUndo(status.undo!)}>
          Undo restore
        </button>
      ) : null}
    </p>
  );
}

/** A version saved on demand: the design as it is now, with a name. */
function SaveVersionForm({ onSave }: { onSave(name: string): Promise<void> }) {
  const [name, setName] = useState('');
  return (
    <form
      className="version-save"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) void onSave(name).then(() => setName(''));
      }}
    >
      <label>
        Save the design as it is now, named
        <input type="text" value={name} maxLength={200} placeholder="before the big change" onChange={(e) => setName(e.target.value)} />
      </label>
      <button type="submit" className="button button-small" disabled={!name.trim()}>
        Save version
      </button>
    </form>
  );
}

/**
 * The session's versions: when each was taken and why, what changed between any two (one line a
 * change), a version saved by name, and restore, which is a new version and can be undone.
 */
export function VersionsDialog({ api, sessionId, onClose, onRestored }: VersionsDialogProps) {
  const [list, setList] = useState<VersionList | null>(null);
  const [pair, setPair] = useState<{ from: VersionId; to: VersionId } | null>(null);
  const [diff, setDiff] = useState<VersionDiff | null>(null);
  const [status, setStatus] = useState<{ text: string; undo?: VersionId } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const next = await api.versions.list({ sessionId });
    setList(next);
    const ids = next.versions.map((v) => v.id);
    setPair((p) => (p && ids.includes(p.from) && ids.includes(p.to) ? p : ids.length >= 2 ? { from: ids.at(-2)!, to: ids.at(-1)! } : null));
  }, [api, sessionId]);

  useEffect(() => {
    load().catch((e: unknown) => setError(asParleyError(e).message));
  }, [load]);

  useEffect(() => {
    if (!pair) return setDiff(null);
    let live = true;
    api.versions.diff({ sessionId, ...pair }).then(
      (d) => live && setDiff(d),
      (e: unknown) => live && setError(asParleyError(e).message),
    );
    return () => {
      live = false;
    };
  }, [api, sessionId, pair]);

  const run = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(asParleyError(e).message);
    }
  };
  const restore = (id: VersionId, undoing = false) =>
    run(async () => {
      const result = await api.versions.restore({ sessionId, version: id });
      onRestored(result.session);
      setStatus(undoing ? { text: `Restore undone: the design is back as ${result.version.id}.` } : { text: `Restored ${id} as ${result.version.id}.`, undo: result.undo });
      await load();
    });
  const save = (name: string) =>
    run(async () => {
      const version = await api.versions.snapshot({ sessionId, name });
      setStatus({ text: `Saved ${version.id} “${version.name ?? name}”.` });
      await load();
    });
  // Clicking a version compares it with the one before it, or sets the other end of the comparison.
  const select = (id: VersionId) => setPair((p) => (p && p.to !== id ? { from: p.to, to: id } : { from: id, to: id }));

  const versions = list?.versions ?? [];
  return (
    <Modal title="Versions" onClose={onClose} wide description="Every design this session has had: compare any two, save one by name, or restore one.">
      {list?.notice ? (
        <p className="banner" role="status">
          {list.notice}
        </p>
      ) : null}
      {error ? (
        <p className="banner" role="alert">
          {error}
        </p>
      ) : null}
      {status ? <RestoreStatus status={status} onUndo={(id) => void restore(id, true)} /> : null}
      <SaveVersionForm onSave={save} />
      <div className="versions-layout">
        <section aria-label="Version list">
          {list && versions.length === 0 ? <p>No versions yet: one is taken at each stage change, batch of hand edits, export, publish and import.</p> : null}
          <ol className="version-list" reversed>
            {[...versions].reverse().map((v) => (
              <VersionRow key={v.id} version={v} list={list!} selected={pair?.from === v.id || pair?.to === v.id} onSelect={() => select(v.id)} onRestore={() => void restore(v.id)} />
            ))}
          </ol>
        </section>
        <section aria-label="Comparison" className="version-compare">
          {pair ? (
            <div className="version-pair">
              <label>
                From
                <select value={pair.from} onChange={(e) => setPair({ ...pair, from: e.target.value })}>
                  {versions.map((v) => (
                    <option key={v.id}>{v.id}</option>
                  ))}
                </select>
              </label>
              <label>
                To
                <select value={pair.to} onChange={(e) => setPair({ ...pair, to: e.target.value })}>
                  {versions.map((v) => (
                    <option key={v.id}>{v.id}</option>
                  ))}
                </select>
              </label>
            </div>
          ) : null}
          {diff ? <VersionDiffView diff={diff} /> : null}
        </section>
      </div>
    </Modal>
  );
}
