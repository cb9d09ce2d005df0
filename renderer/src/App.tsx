import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppInfo, ParleyApi } from '../../shared/ipc';
import type { Session, SessionSummary } from '../../shared/session';
import { ParleyError, type IpcError } from '../../shared/errors';
import type { Connection } from './bridge';
import { Chat, type TurnView } from './components/Chat';
import { SessionBrowser } from './components/SessionBrowser';
import { StageTracker } from './components/StageTracker';
import { SpecPanel } from './components/SpecPanel';
import { StatusBar } from './components/StatusBar';

export interface AppProps {
  api: ParleyApi;
  connection?: Connection | null;
  /** Search debounce; tests pass 0. */
  searchDelayMs?: number;
}

const LIST_LIMIT = 200;

function toIpcError(error: unknown): IpcError {
  if (error instanceof ParleyError) return error.toJSON();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

export function App({ api, connection = null, searchDelayMs = 150 }: AppProps) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [items, setItems] = useState<SessionSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [listLoading, setListLoading] = useState(true);
  const [search, setSearch] = useState('');
  const [session, setSession] = useState<Session | null>(null);
  const [turns, setTurns] = useState<Record<string, TurnView>>({});
  const [errors, setErrors] = useState<Record<string, IpcError>>({});
  const [appError, setAppError] = useState<IpcError | null>(null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});

  // Event handlers outlive renders: they read the latest values through refs.
  const sessionRef = useRef<Session | null>(null);
  sessionRef.current = session;
  const searchRef = useRef(search);
  searchRef.current = search;

  const refreshList = useCallback(async () => {
    const query = searchRef.current.trim();
    const result = await api.sessions.list(query ? { search: query, limit: LIST_LIMIT } : { limit: LIST_LIMIT });
    if (searchRef.current.trim() !== query) return result; // a newer search is on its way
    setItems(result.items);
    setTotal(result.total);
    setListLoading(false);
    return result;
  }, [api]);

  const openSession = useCallback(
    async (id: string) => {
      try {
        setSession(await api.sessions.get({ id }));
      } catch (error) {
        setAppError(toIpcError(error));
      }
    },
    [api],
  );

  const newSession = useCallback(async () => {
    try {
      const created = await api.sessions.create();
      setSession(created);
      void refreshList();
    } catch (error) {
      setAppError(toIpcError(error));
    }
  }, [api, refreshList]);

  // First launch: show the app info, open the newest session, or greet with a new one.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api.app.info().then(setInfo, (e: unknown) => setAppError(toIpcError(e)));
    refreshList().then(
      (first) => (first.items[0] ? openSession(first.items[0].id) : newSession()),
      (e: unknown) => setAppError(toIpcError(e)),
    );
  }, [api, refreshList, openSession, newSession]);

  useEffect(() => {
    const reload = async (id: string) => {
      if (sessionRef.current?.id !== id) return;
      try {
        const fresh = await api.sessions.get({ id });
        if (sessionRef.current?.id === id) setSession(fresh);
      } catch {
        /* deleted meanwhile: session:changed will clear it */
      }
    };
    const endTurn = (sessionId: string) =>
      setTurns((t) => {
        const { [sessionId]: _ended, ...rest } = t;
        return rest;
      });
    const offs = [
      api.on('turn:delta', ({ sessionId, turnId, text }) =>
        setTurns((t) => {
          const cur = t[sessionId];
          if (cur?.turnId && cur.turnId !== turnId) return t; // a late piece of an earlier turn
          return { ...t, [sessionId]: { pendingUser: cur?.pendingUser ?? null, status: null, turnId, text: (cur?.text ?? '') + text } };
        }),
      ),
      api.on('turn:status', ({ sessionId, message }) => setTurns((t) => (t[sessionId] ? { ...t, [sessionId]: { ...t[sessionId], status: message } } : t))),
      api.on('turn:done', async ({ sessionId }) => {
        // Swap the streamed text for the saved message in one render, so nothing flickers.
        await reload(sessionId);
        endTurn(sessionId);
      }),
      api.on('turn:error', async ({ sessionId, error }) => {
        await reload(sessionId);
        endTurn(sessionId);
        setErrors((e) => ({ ...e, [sessionId]: error }));
      }),
      api.on('session:changed', ({ id, reason }) => {
        void refreshList();
        if (reason === 'deleted' && sessionRef.current?.id === id) setSession(null);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [api, refreshList]);

  // Events sent while the preview socket was down are lost: after a reconnect, re-read the truth.
  useEffect(() => {
    if (!connection) return;
    let wasDown = false;
    return connection.onStatus((status) => {
      if (status === 'reconnecting') wasDown = true;
      if (status !== 'open' || !wasDown) return;
      wasDown = false;
      setTurns({});
      void refreshList().catch(() => {});
      const id = sessionRef.current?.id;
      if (id) api.sessions.get({ id }).then((fresh) => sessionRef.current?.id === id && setSession(fresh), () => setSession(null));
    });
  }, [api, connection, refreshList]);

  useEffect(() => {
    const timer = setTimeout(() => void refreshList().catch((e: unknown) => setAppError(toIpcError(e))), searchDelayMs);
    return () => clearTimeout(timer);
  }, [search, refreshList, searchDelayMs]);

  const send = async (text: string) => {
    if (!session) return;
    const sessionId = session.id;
    setTurns((t) => ({ ...t, [sessionId]: { pendingUser: text, text: '', status: null, turnId: null } }));
    setErrors(({ [sessionId]: _gone, ...rest }) => rest);
    setDrafts((d) => ({ ...d, [sessionId]: '' }));
    try {
      const { turnId } = await api.turn.send({ sessionId, text });
      setTurns((t) => (t[sessionId] && !t[sessionId].turnId ? { ...t, [sessionId]: { ...t[sessionId], turnId } } : t));
    } catch (error) {
      setTurns(({ [sessionId]: _gone, ...rest }) => rest);
      setDrafts((d) => ({ ...d, [sessionId]: d[sessionId] || text }));
      setErrors((e) => ({ ...e, [sessionId]: toIpcError(error) }));
    }
  };

  const stop = async () => {
    const turn = session ? turns[session.id] : undefined;
    if (!turn?.turnId) return;
    try {
      await api.turn.cancel({ turnId: turn.turnId });
    } catch (error) {
      setAppError(toIpcError(error));
    }
  };

  const remove = async (id: string) => {
    try {
      await api.sessions.delete({ id });
      if (sessionRef.current?.id === id) setSession(null);
      const rest = await refreshList();
      if (!sessionRef.current && rest.items[0]) void openSession(rest.items[0].id);
    } catch (error) {
      setAppError(toIpcError(error));
    }
  };

  return (
    <div className="app">
      <aside className="sidebar">
        <SessionBrowser
          items={items}
          total={total}
          selectedId={session?.id ?? null}
          search={search}
          loading={listLoading}
          onSearch={setSearch}
          onOpen={(id) => void openSession(id)}
          onNew={() => void newSession()}
          onDelete={(id) => void remove(id)}
        />
      </aside>
      <main className="main">
        {appError ? (
          <div className="banner app-banner" role="alert">
            <div className="banner-text">
              <strong className="banner-title">{appError.message}</strong>
              <span>Try again; if it keeps failing, restart Parley.</span>
            </div>
            <button type="button" className="button" onClick={() => setAppError(null)}>
              Dismiss
            </button>
          </div>
        ) : null}
        {session ? (
          <Chat
            key={session.id}
            session={session}
            turn={turns[session.id] ?? null}
            error={errors[session.id] ?? null}
            draft={drafts[session.id] ?? ''}
            onDraft={(text) => setDrafts((d) => ({ ...d, [session.id]: text }))}
            onSend={(text) => void send(text)}
            onStop={() => void stop()}
            onDismissError={() => setErrors(({ [session.id]: _gone, ...rest }) => rest)}
          />
        ) : (
          <div className="empty-main">
            <h1>Design a voice agent by talking to it</h1>
            <p>Choose a session on the left, or start a new one.</p>
          </div>
        )}
      </main>
      <aside className="inspector" aria-label="Interview">
        {session ? (
          <>
            <StageTracker stage={session.stage} awaiting={session.awaiting} />
            <SpecPanel spec={session.spec} awaiting={session.awaiting} />
          </>
        ) : null}
      </aside>
      <StatusBar info={info} connection={connection} />
    </div>
  );
}
