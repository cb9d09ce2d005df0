import type { Session } from '../../shared/session';
import { versionNumber, type VersionCause, type VersionInfo } from '../../shared/versions';
import type { SnapshotRequest, UpdateOptions } from '../orchestrator/types';
import { designOf, sameDesign, type Design } from './design';
import { summarize } from './diff';
import type { VersionStore } from './store';

/** Hand edits this close together are one version (the newest state of the batch). */
export const EDIT_BATCH_MS = 5000;

export const isRelease = (cause: VersionCause) => cause === 'export' || cause === 'publish';

/**
 * Taking versions: what each saved change calls for (a stage change, a batch of hand edits, an
 * export or publish, an import, a name, a restore), with its one-line summary.
 */
export function createSnapshots(deps: { store: VersionStore; clock: () => Date; readOnly?: boolean }) {
  const { store, clock } = deps;
  /** When each session's last hand edit was versioned (in this run). */
  const lastEdit = new Map<string, number>();
  const failures: string[] = [];

  const tipOf = async (sessionId: string): Promise<{ info: VersionInfo; design: Design } | null> => {
    const infos = await store.list(sessionId);
    const info = infos.at(-1);
    if (!info) return null;
    const design = await store.design(sessionId, info.id);
    return design ? { info, design } : null;
  };

  async function take(session: Session, request: SnapshotRequest, before: Session | null): Promise<void> {
    const key = session.id;
    const design = designOf(session);
    const now = clock();
    const at = now.toISOString();
    const tip = await tipOf(key);
    if (request.cause === 'restore' && before && (!tip || !sameDesign(tip.design, designOf(before)))) {
      // What the restore replaces becomes a version first, so the restore can be undone.
      await store.append(key, designOf(before), { at, cause: 'before-restore', summary: summarize(tip?.design ?? null, designOf(before)) });
      return take(session, request, null);
    }
    // Exporting or publishing the same design again carries the same version.
    if (isRelease(request.cause) && tip && isRelease(tip.info.cause) && sameDesign(tip.design, design)) return;
    const batch = request.cause === 'edit' && tip?.info.cause === 'edit' && now.getTime() - (lastEdit.get(key) ?? -Infinity) <= EDIT_BATCH_MS;
    if (request.cause === 'edit') lastEdit.set(key, now.getTime());
    const base = batch ? (tip!.info.id === 'v1' ? null : await store.design(key, `v${versionNumber(tip!.info.id) - 1}`)) : (tip?.design ?? null);
    let summary = summarize(base, design);
    if (request.cause === 'restore' && request.restoredFrom) summary = `Restored ${request.restoredFrom}: ${summary}`;
    else if (base && sameDesign(base, design)) summary = `No change since v${versionNumber(tip!.info.id) - (batch ? 1 : 0)}`;
    await store.append(key, design, { at, cause: request.cause, summary, name: request.name, restoredFrom: request.restoredFrom }, { amend: batch });
  }

  /** Versions what a save calls for; a failure is told to the user and never undoes the save. */
  async function afterSave(before: Session | null, after: Session, options: UpdateOptions): Promise<void> {
    const request = options.snapshot ?? (before && before.stage !== after.stage ? { cause: 'stage' as const } : null);
    if (!request || deps.readOnly) return;
    try {
      await take(after, request, before);
    } catch (error) {
      if (request.cause !== 'stage' && request.cause !== 'edit') throw error;
      const notice = `A version of session ${after.id} could not be saved (${error instanceof Error ? error.message : String(error)}); the session itself is saved.`;
      if (failures.at(-1) !== notice) failures.push(notice);
    }
  }

  return { afterSave, tipOf, failures };
}
