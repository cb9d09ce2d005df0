import { ParleyError } from '../../shared/errors';
import type { Session } from '../../shared/session';
import type { ProviderChoice } from '../../shared/providers';
import type { ListQuery, ListResult, SessionStore } from '../store/types';
import { checkSessionId } from '../store/sessions';
import type { SessionUpdates, UpdateOptions } from '../orchestrator/types';
import { KeyedQueue } from './keyed-queue';

export type ChangeReason = 'created' | 'updated' | 'deleted';

export interface SessionServiceDeps {
  store: SessionStore;
  clock: () => Date;
  newId: () => string;
  /** Told after each change that is announced (a turn announces itself when it ends). */
  onChanged?: (id: string, reason: ChangeReason) => void;
  /** Told, inside the session's queue, after each saved change (before: null for a new session): takes versions. */
  onSaved?: (before: Session | null, after: Session, options: UpdateOptions) => Promise<void>;
}

/**
 * The one writer of sessions. Every change (turns, edits, renames, provider changes, deletes,
 * restores, imports, duplicates) runs in its session's queue and is computed from the newest
 * stored version, so no change writes back a copy read before another change was saved. A turn
 * takes the queue only for its short writes, so a rename during a streamed reply does not wait
 * for it, and the turn's save applies its own part on top of the rename.
 */
export interface SessionService extends SessionUpdates {
  get(id: string): Promise<Session>;
  /** Fails as get() would (NOT_FOUND, …), without copying the session. */
  check(id: string): Promise<void>;
  list(query?: ListQuery): Promise<ListResult>;
  rename(id: string, title: string): Promise<Session>;
  setProvider(id: string, provider: ProviderChoice): Promise<Session>;
  delete(id: string): Promise<{ id: string }>;
  /** Undoes a delete (the file comes back from the trash folder). */
  restore(id: string): Promise<Session>;
  /** A new session with the same spec and no messages (a template). */
  duplicate(id: string): Promise<Session>;
  /** Waits for every queued change, then for every write to reach the disk. */
  flush(): Promise<void>;
}

export function cleanTitle(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  if (!clean || clean.length > 200) throw new ParleyError('INVALID_INPUT', 'A session title must be 1 to 200 characters.');
  return clean;
}

export function duplicateSession(source: Session, at: string, id: string): Session {
  // Simulation runs belong to the design they ran against, in its session, and the source's exports
  // and publishes are not the copy's versions: a copy starts without either.
  const { simulations: _runs, releases: _releases, ...rest } = source;
  return {
    ...rest,
    id,
    title: `${source.title || 'Untitled'} (copy)`.slice(0, 200),
    createdAt: at,
    updatedAt: at,
    stageHistory: [{ stage: source.stage, at }],
    spec: { ...structuredClone(source.spec), candidates: {} },
    messages: [],
    usage: [],
  };
}

export function createSessionService(deps: SessionServiceDeps): SessionService {
  const { store, clock, newId } = deps;
  const queue = new KeyedQueue();
  const now = () => clock().toISOString();
  const announce = (id: string, reason: ChangeReason) => deps.onChanged?.(id, reason);

  /** Runs `work` in the session's queue and announces the change once it is saved. */
  async function inQueue<T>(id: string, reason: ChangeReason | null, work: (key: string) => Promise<T>): Promise<T> {
    const key = checkSessionId(id);
    const result = await queue.run(key, () => work(key));
    if (reason) announce(key, reason);
    return result;
  }

  const update: SessionService['update'] = (id, change, options: UpdateOptions = {}) =>
    inQueue(id, options.announce === false ? null : 'updated', async (key) => {
      const latest = await store.get(key);
      const next = change(latest);
      // A request for a version alone (nothing changed) writes no session.
      if (next !== latest || !options.snapshot) {
        if (options.journal) await store.journal(next);
        else await store.save(next);
      }
      await deps.onSaved?.(latest, next, options);
      return next;
    });

  const create: SessionService['create'] = (session, options = {}) =>
    inQueue(session.id, 'created', async () => {
      const created = await store.create(session);
      await deps.onSaved?.(null, created, options);
      return created;
    });

  return {
    get: (id) => store.get(id),
    check: (id) => store.check(id),
    list: (query) => store.list(query ?? {}),
    create,
    update,
    async rename(id, title) {
      const clean = cleanTitle(title);
      return update(id, (s) => ({ ...s, title: clean, updatedAt: now() }));
    },
    setProvider: (id, provider) => update(id, (s) => ({ ...s, provider, updatedAt: now() })),
    delete: (id) =>
      inQueue(id, 'deleted', async (key) => {
        await store.delete(key);
        return { id };
      }),
    restore: (id) => inQueue(id, 'created', (key) => store.restore(key)),
    async duplicate(id) {
      const source = await inQueue(id, null, (key) => store.get(key));
      return create(duplicateSession(source, now(), newId()));
    },
    async flush() {
      await queue.idle();
      await store.flush();
    },
  };
}
