import { ParleyError } from '../../shared/errors';
import type { Session } from '../../shared/session';
import { versionNumber, type VersionDiff, type VersionId, type VersionInfo, type VersionList, type VersionRelease } from '../../shared/versions';
import type { UpdateOptions } from '../orchestrator/types';
import type { SessionService } from '../services/sessions';
import { checkSessionId } from '../store/sessions';
import { designOf, sameDesign, type Design } from './design';
import { diffDesigns } from './diff';
import { createSnapshots, isRelease } from './snapshots';
import type { VersionStore } from './store';

export interface RestoreResult {
  session: Session;
  version: VersionInfo;
  /** The version holding the design as it was before the restore: restoring it undoes the restore. */
  undo: VersionId;
}

export interface VersionService {
  list(sessionId: string): Promise<VersionList>;
  diff(sessionId: string, from: VersionId, to: VersionId): Promise<VersionDiff>;
  /** A version saved on demand, with a name. */
  snapshot(sessionId: string, name: string): Promise<VersionInfo>;
  /** Brings a version's design back as a new version (the design before it is kept as a version too). */
  restore(sessionId: string, id: VersionId): Promise<RestoreResult>;
  /**
   * Before an export or publish: a version of the design as it is now, whose id the export
   * carries (the same one as the last export or publish when the design has not changed since). A store that cannot write (a read-only CLI command) answers the newest version when
   * the design has not changed since, else null.
   */
  beforeRelease(sessionId: string, kind: VersionRelease['kind']): Promise<VersionId | null>;
  /** The id the next version will have (what an export's preview shows). */
  upcoming(sessionId: string): Promise<VersionId>;
  /** After it: which version went where, in the session. */
  recordRelease(sessionId: string, release: Omit<VersionRelease, 'at'>): Promise<void>;
  /** The session service's hook: takes the versions a saved change calls for. */
  afterSave(before: Session | null, after: Session, options: UpdateOptions): Promise<void>;
  notices(): string[];
}

export function createVersionService(deps: {
  store: VersionStore;
  sessions: Pick<SessionService, 'get' | 'update'>;
  clock: () => Date;
  readOnly?: boolean;
}): VersionService {
  const { store, sessions, clock } = deps;
  const { afterSave, tipOf, failures } = createSnapshots(deps);

  const designAt = async (sessionId: string, id: VersionId): Promise<Design> => {
    const design = await store.design(sessionId, id);
    if (!design) throw new ParleyError('NOT_FOUND', `Session ${sessionId} has no version ${id}; its version list shows which exist.`);
    return design;
  };

  return {
    afterSave,
    async list(sessionId) {
      const key = checkSessionId(sessionId);
      const session = await sessions.get(key);
      const versions = await store.list(key);
      const notice = store.noticeFor(key);
      return { versions, releases: session.releases ?? [], ...(notice ? { notice } : {}) };
    },
    async diff(sessionId, from, to) {
      const key = checkSessionId(sessionId);
      return { from, to, changes: diffDesigns(await designAt(key, from), await designAt(key, to)) };
    },
    async snapshot(sessionId, name) {
      const clean = name.replace(/\s+/g, ' ').trim();
      if (!clean || clean.length > 200) throw new ParleyError('INVALID_INPUT', 'A version name must be 1 to 200 characters.');
      await sessions.update(sessionId, (s) => s, { announce: false, snapshot: { cause: 'named', name: clean } });
      return (await store.list(checkSessionId(sessionId))).at(-1)!;
    },
    async restore(sessionId, id) {
      const key = checkSessionId(sessionId);
      const target = await designAt(key, id);
      const count = (await store.list(key)).length;
      const session = await sessions.update(
        key,
        (s) => ({
          ...s,
          title: target.title,
          stage: target.stage,
          stageHistory: s.stage === target.stage ? s.stageHistory : [...s.stageHistory, { stage: target.stage, at: clock().toISOString() }],
          awaiting: target.awaiting,
          spec: structuredClone(target.spec),
          updatedAt: clock().toISOString(),
          // "undo that" in the chat brings back the design the restore replaced.
          undo: { stage: s.stage, awaiting: s.awaiting, spec: s.spec, change: `the restore of ${id}` },
        }),
        { snapshot: { cause: 'restore', restoredFrom: id } },
      );
      const added = (await store.list(key)).slice(count);
      const version = added.at(-1);
      if (!version) throw new ParleyError('SAVE_FAILED', 'The restore was saved, but its version was not.');
      const undo = added.length > 1 ? added[0]!.id : count > 0 ? (`v${count}` as VersionId) : version.id;
      return { session, version, undo };
    },
    async beforeRelease(sessionId, kind) {
      const key = checkSessionId(sessionId);
      if (deps.readOnly) {
        const tip = await tipOf(key);
        return tip && sameDesign(tip.design, designOf(await sessions.get(key))) ? tip.info.id : null;
      }
      await sessions.update(key, (s) => s, { announce: false, snapshot: { cause: kind } });
      return (await store.list(key)).at(-1)?.id ?? null;
    },
    async upcoming(sessionId) {
      const key = checkSessionId(sessionId);
      const tip = await tipOf(key);
      if (tip && isRelease(tip.info.cause) && sameDesign(tip.design, designOf(await sessions.get(key)))) return tip.info.id;
      return `v${(tip ? versionNumber(tip.info.id) : 0) + 1}`;
    },
    async recordRelease(sessionId, release) {
      if (deps.readOnly) return;
      const entry: VersionRelease = { ...release, at: clock().toISOString() };
      await sessions.update(sessionId, (s) => ({ ...s, releases: [...(s.releases ?? []), entry] }));
    },
    notices: () => [...store.notices(), ...failures],
  };
}
