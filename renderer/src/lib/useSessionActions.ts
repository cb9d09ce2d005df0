import { useCallback, useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { ParleyApi, SessionsList } from '../../../shared/ipc';
import type { Session, SessionSummary } from '../../../shared/session';
import type { ProviderChoice } from '../../../shared/providers';
import type { Stage } from '../../../shared/stages';
import type { ToastsApi } from './useToasts';
import { openGuard } from './openGuard';

async function zipToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export interface SessionActionsDeps {
  api: ParleyApi;
  /** Re-reads the session list; resolves with its first page (null when a newer read won). */
  refreshList(): Promise<SessionsList | null>;
  /** The loaded rows of the list, to find the session after a deleted one. */
  listItems: ReadonlyArray<SessionSummary | undefined>;
  toast: ToastsApi['toast'];
  fail(error: unknown): void;
}

export interface SessionActions {
  session: Session | null;
  sessionRef: MutableRefObject<Session | null>;
  setSession(session: Session | null): void;
  /** False right after a delete opened the next session: focus stays in the list. */
  focusOnOpen: MutableRefObject<boolean>;
  /** Says whether a session has a turn in flight; its session:changed reload waits for turn:done. */
  busy: MutableRefObject<(id: string) => boolean>;
  open(id: string): Promise<void>;
  create(): Promise<void>;
  remove(id: string, title: string): Promise<void>;
  restore(id: string): Promise<void>;
  rename(id: string, title: string): Promise<void>;
  importFile(file: File): Promise<void>;
  goBack(stage: Stage): Promise<void>;
  edit(path: string, value: unknown): Promise<void>;
  lock(path: string, locked: boolean): Promise<void>;
  regenerate(path: 'system_prompt' | 'first_message'): Promise<void>;
  setProvider(provider: ProviderChoice): Promise<void>;
}

/**
 * The open session and everything done to sessions: open, create, delete (with Undo), restore,
 * rename, import, stage and spec changes; the list and the open session follow
 * changes made elsewhere (session:changed).
 */
export function useSessionActions({ api, refreshList, listItems, toast, fail }: SessionActionsDeps): SessionActions {
  const [session, setSessionState] = useState<Session | null>(null);
  const sessionRef = useRef<Session | null>(null);
  const focusOnOpen = useRef(true);
  const itemsRef = useRef(listItems);
  itemsRef.current = listItems;

  const setSession = useCallback((next: Session | null) => {
    sessionRef.current = next;
    setSessionState(next);
  }, []);

  /** Runs an action; a failure goes to the app banner. */
  const guard = useCallback(
    async (work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        fail(error);
      }
    },
    [fail],
  );

  const open = useCallback(
    (id: string) =>
      guard(async () => {
        openGuard.start(id);
        const s = await api.sessions.get({ id });
        setSession(s);
      }),
    [api, guard, setSession],
  );

  /** A session that came into being (new, restored, copied, imported): shown, cursor in its chat. */
  const show = useCallback(
    (created: Session) => {
      focusOnOpen.current = true;
      setSession(created);
      void refreshList();
    },
    [refreshList, setSession],
  );
  const create = useCallback(() => guard(async () => show(await api.sessions.create())), [api, guard, show]);
  const restore = useCallback((id: string) => guard(async () => show(await api.sessions.restore({ id }))), [api, guard, show]);

  const remove = useCallback(
    (id: string, title: string) =>
      guard(async () => {
        const index = itemsRef.current.findIndex((s) => s?.id === id);
        await api.sessions.delete({ id });
        toast(`Deleted “${title}”.`, { label: 'Undo', run: () => void restore(id) });
        const wasOpen = sessionRef.current?.id === id;
        if (wasOpen) setSession(null);
        const rest = await refreshList();
        // The session that took the deleted one's place opens, and focus stays in the list.
        const next = rest?.items[Math.max(0, index)] ?? rest?.items[Math.max(0, index - 1)] ?? rest?.items.at(-1);
        if (wasOpen && next) {
          focusOnOpen.current = false;
          await open(next.id);
        }
      }),
    [api, guard, refreshList, toast, restore, open, setSession],
  );

  const rename = useCallback(
    (id: string, title: string) =>
      guard(async () => {
        const renamed = await api.sessions.rename({ id, title });
        if (sessionRef.current?.id === id) setSession(renamed);
        void refreshList();
      }),
    [api, guard, refreshList, setSession],
  );

  const importFile = useCallback(
    (file: File) =>
      guard(async () => {
        // A project .zip goes as it is; the backend unpacks it.
        const input = /\.zip$/i.test(file.name) ? { zipBase64: await zipToBase64(file) } : { text: await file.text() };
        const { session: created, losses } = await api.sessions.import(input);
        show(created);
        const lost = losses.length ? `; ${losses.length} ${losses.length === 1 ? 'detail' : 'details'} could not be carried over` : '';
        toast(`Imported “${created.title}”${lost}.`);
      }),
    [api, guard, show, toast],
  );

  const edits = useSessionEdits(api, sessionRef, setSession, guard);
  const busy = useFollowChanges(api, refreshList, sessionRef, setSession);

  return {
    session,
    sessionRef,
    setSession,
    focusOnOpen,
    busy,
    open,
    create,
    remove,
    restore,
    rename,
    importFile,
    ...edits,
  };
}

type Edits = Pick<SessionActions, 'goBack' | 'edit' | 'lock' | 'regenerate' | 'setProvider'>;

/** Changes to the open session through one channel each; the answer replaces the session. */
function useSessionEdits(api: ParleyApi, sessionRef: MutableRefObject<Session | null>, setSession: (s: Session | null) => void, guard: (work: () => Promise<void>) => Promise<void>): Edits {
  const change = useCallback(
    async (run: (id: string) => Promise<Session>) => {
      const id = sessionRef.current?.id;
      if (!id) return;
      const next = await run(id);
      if (sessionRef.current?.id === id) setSession(next);
    },
    [sessionRef, setSession],
  );
  return {
    goBack: useCallback((stage: Stage) => guard(() => change((sessionId) => api.stage.goto({ sessionId, stage }))), [api, guard, change]),
    // Spec edits reject with the backend's error: the field shows it.
    edit: useCallback((path: string, value: unknown) => change((sessionId) => api.spec.edit({ sessionId, path, value })), [api, change]),
    lock: useCallback((path: string, locked: boolean) => change((sessionId) => api.spec.lock({ sessionId, path, locked })), [api, change]),
    regenerate: useCallback((path: 'system_prompt' | 'first_message') => change((sessionId) => api.spec.regenerate({ sessionId, path })), [api, change]),
    setProvider: useCallback((provider: ProviderChoice) => change((id) => api.sessions['set-provider']({ id, provider })), [api, change]),
  };
}

/**
 * Changes made elsewhere (CLI, another window, a turn) show up here too. Returns the `busy` test
 * the app sets from useTurns: a session with a turn in flight reloads when the turn ends instead.
 */
function useFollowChanges(api: ParleyApi, refreshList: () => Promise<unknown>, sessionRef: MutableRefObject<Session | null>, setSession: (s: Session | null) => void) {
  const busy = useRef<(id: string) => boolean>(() => false);
  useEffect(() => {
    return api.on('session:changed', ({ id, reason }) => {
      void refreshList().catch(() => {});
      if (reason === 'deleted' && sessionRef.current?.id === id) setSession(null);
      if (reason === 'updated' && sessionRef.current?.id === id && !busy.current(id)) {
        api.sessions.get({ id }).then(
          (fresh) => sessionRef.current?.id === id && setSession(fresh),
          () => {},
        );
      }
    });
  }, [api, refreshList, sessionRef, setSession]);
  return busy;
}
