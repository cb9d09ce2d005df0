import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo, ParleyApi } from '../../shared/ipc';
import type { Session } from '../../shared/session';
import type { Settings } from '../../shared/settings';
import type { Stage } from '../../shared/stages';
import { asParleyError, type IpcError } from '../../shared/errors';
import type { Connection } from './bridge';
import { Chat, type TurnView } from './components/Chat';
import { SessionBrowser } from './components/SessionBrowser';
import { StageTracker } from './components/StageTracker';
import { SpecPanel } from './components/SpecPanel';
import { StatusBar } from './components/StatusBar';
import { WorkflowView } from './components/WorkflowView';
import { SettingsDialog } from './components/SettingsDialog';
import { ExportDialog } from './components/ExportDialog';
import { Toasts } from './components/Toasts';
import { useSessionList } from './lib/useSessionList';
import { createFrameBatcher } from './lib/frameBatcher';
import { applyTheme, resolvedTheme } from './lib/theme';
import { useToasts } from './lib/useToasts';

export interface AppProps {
  api: ParleyApi;
  connection?: Connection | null;
  /** Search debounce; tests pass 0. */
  searchDelayMs?: number;
  /** How long the Undo toast stays; tests pass a short one. */
  toastMs?: number;
}

function toIpcError(error: unknown): IpcError {
  return asParleyError(error).toJSON();
}

function isEditable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

type Dialog = 'settings' | 'export' | null;
type Tab = 'spec' | 'workflow';

export function App({ api, connection = null, searchDelayMs = 150, toastMs = 8000 }: AppProps) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [turns, setTurns] = useState<Record<string, TurnView>>({});
  const [errors, setErrors] = useState<Record<string, IpcError>>({});
  const [appError, setAppError] = useState<IpcError | null>(null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [dialog, setDialog] = useState<Dialog>(null);
  const [tab, setTab] = useState<Tab>('spec');
  const [highlight, setHighlight] = useState<string | null>(null);
  const [theme, setTheme] = useState<'light' | 'dark'>(() => resolvedTheme());
  const lastSent = useRef<Record<string, string>>({});
  const searchInput = useRef<HTMLInputElement>(null);

  const fail = useCallback((e: unknown) => setAppError(toIpcError(e)), []);
  const list = useSessionList(api, searchDelayMs, fail);
  const refreshList = list.refresh;

  // Event handlers outlive renders: they read the latest values through refs.
  const sessionRef = useRef<Session | null>(null);
  sessionRef.current = session;

  const { toasts, toast, dismiss: dismissToast, undoLast } = useToasts(toastMs);

  const openSession = useCallback(
    async (id: string) => {
      try {
        const s = await api.sessions.get({ id });
        setSession(s);
        setHighlight(null);
      } catch (error) {
        fail(error);
      }
    },
    [api, fail],
  );

  const newSession = useCallback(async () => {
    try {
      const created = await api.sessions.create();
      setSession(created);
      void refreshList();
    } catch (error) {
      fail(error);
    }
  }, [api, refreshList, fail]);

  // Theme: follow the saved choice, and the OS when it is "system".
  const applySettings = useCallback((s: Settings) => {
    applyTheme(s.theme);
    setTheme(resolvedTheme());
  }, []);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => setTheme(resolvedTheme());
    mq.addEventListener?.('change', onChange);
    return () => mq.removeEventListener?.('change', onChange);
  }, []);

  // First launch: app info and theme, then open the newest session, or greet with a new one.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api.app.info().then(setInfo, fail);
    // What happened to the data folder before this window opened (quarantined files, reset settings).
    api.app.notices().then(({ notices }) => notices.forEach((n) => toast(n)), () => {});
    api.settings.get().then(applySettings, () => {
      /* defaults are fine; Settings shows the error when opened */
    });
    refreshList().then((first) => {
      if (!first) return;
      return first.items[0] ? openSession(first.items[0].id) : newSession();
    }, fail);
  }, [api, refreshList, openSession, newSession, applySettings, fail, toast]);

  // Streamed text is applied once per animation frame, in order.
  const batcher = useMemo(
    () =>
      createFrameBatcher((pending) =>
        setTurns((t) => {
          const next = { ...t };
          for (const [key, text] of pending) {
            const [sessionId, turnId] = key.split('|') as [string, string];
            const cur = next[sessionId];
            if (cur?.turnId && cur.turnId !== turnId) continue; // a late piece of an earlier turn
            next[sessionId] = { pendingUser: cur?.pendingUser ?? null, status: cur?.status ?? null, turnId, text: (cur?.text ?? '') + text };
          }
          return next;
        }),
      ),
    [],
  );
  useEffect(() => () => batcher.dispose(), [batcher]);

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
      api.on('turn:delta', ({ sessionId, turnId, text }) => batcher.push(`${sessionId}|${turnId}`, text)),
      api.on('turn:status', ({ sessionId, turnId, message, retryInMs, attempt, maxAttempts, resetReply }) => {
        if (resetReply) {
          batcher.flush();
          batcher.drop(`${sessionId}|${turnId}`);
        }
        setTurns((t) => {
          const cur = t[sessionId];
          if (!cur) return t;
          const status = { message, until: retryInMs !== undefined ? Date.now() + retryInMs : null, attempt, maxAttempts };
          return { ...t, [sessionId]: { ...cur, status, text: resetReply ? '' : cur.text } };
        });
      }),
      api.on('turn:done', async ({ sessionId }) => {
        batcher.flush();
        // Swap the streamed text for the saved message in one render, so nothing flickers.
        await reload(sessionId);
        endTurn(sessionId);
      }),
      api.on('turn:error', async ({ sessionId, error }) => {
        batcher.flush();
        await reload(sessionId);
        endTurn(sessionId);
        setErrors((e) => ({ ...e, [sessionId]: error }));
      }),
      api.on('app:notice', ({ message }) => toast(message)),
      api.on('session:changed', ({ id, reason }) => {
        void refreshList().catch(() => {});
        if (reason === 'deleted' && sessionRef.current?.id === id) setSession(null);
        // Changes made elsewhere (CLI, another window) show up here too; turns reload on done.
        if (reason === 'updated' && sessionRef.current?.id === id && !turnsRef.current[id]) void reload(id);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [api, refreshList, batcher, toast]);
  const turnsRef = useRef(turns);
  turnsRef.current = turns;

  // Events sent while the preview socket was down are lost: after a reconnect, re-read the truth.
  useEffect(() => {
    if (!connection) return;
    let wasDown = false;
    return connection.onStatus((status) => {
      if (status === 'reconnecting') wasDown = true;
      if (status !== 'open' || !wasDown) return;
      wasDown = false;
      batcher.dispose();
      setTurns({});
      void refreshList().catch(() => {});
      const id = sessionRef.current?.id;
      if (id) api.sessions.get({ id }).then((fresh) => sessionRef.current?.id === id && setSession(fresh), () => setSession(null));
    });
  }, [api, connection, refreshList, batcher]);

  const send = async (text: string) => {
    if (!session) return;
    const sessionId = session.id;
    lastSent.current[sessionId] = text;
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

  const retry = () => {
    if (!session) return;
    const last = lastSent.current[session.id] ?? [...session.messages].reverse().find((m) => m.role === 'user')?.text;
    if (last) void send(last);
  };

  const continueOffline = async () => {
    if (!session) return;
    try {
      setSession(await api.sessions['set-provider']({ id: session.id, provider: 'offline' }));
      retry();
    } catch (error) {
      fail(error);
    }
  };

  const stop = async () => {
    const turn = session ? turns[session.id] : undefined;
    if (!turn?.turnId) return;
    try {
      await api.turn.cancel({ turnId: turn.turnId });
    } catch (error) {
      fail(error);
    }
  };

  const restore = async (id: string) => {
    try {
      const back = await api.sessions.restore({ id });
      setSession(back);
      void refreshList();
    } catch (error) {
      fail(error);
    }
  };

  const remove = async (id: string, title: string) => {
    try {
      await api.sessions.delete({ id });
      toast(`Deleted “${title}”.`, { label: 'Undo', run: () => void restore(id) });
      const wasOpen = sessionRef.current?.id === id;
      if (wasOpen) setSession(null);
      const rest = await refreshList();
      if (wasOpen && rest?.items[0]) void openSession(rest.items[0].id);
    } catch (error) {
      fail(error);
    }
  };

  const rename = async (id: string, title: string) => {
    try {
      const renamed = await api.sessions.rename({ id, title });
      if (sessionRef.current?.id === id) setSession(renamed);
      void refreshList();
    } catch (error) {
      fail(error);
    }
  };

  const duplicate = async (id: string) => {
    try {
      const copy = await api.sessions.duplicate({ id });
      setSession(copy);
      toast(`Created “${copy.title}” from the template.`);
      void refreshList();
    } catch (error) {
      fail(error);
    }
  };

  const importFile = async (file: File) => {
    try {
      const { session: created, losses } = await api.sessions.import({ text: await file.text() });
      setSession(created);
      toast(losses.length ? `Imported “${created.title}”; ${losses.length} ${losses.length === 1 ? 'detail' : 'details'} could not be carried over.` : `Imported “${created.title}”.`);
      void refreshList();
    } catch (error) {
      fail(error);
    }
  };

  const goBack = async (stage: Stage) => {
    if (!session) return;
    try {
      setSession(await api.stage.goto({ sessionId: session.id, stage }));
    } catch (error) {
      fail(error);
    }
  };

  const edit = async (path: string, value: unknown) => {
    if (!session) return;
    setSession(await api.spec.edit({ sessionId: session.id, path, value }));
  };
  const lock = async (path: string, locked: boolean) => {
    if (!session) return;
    setSession(await api.spec.lock({ sessionId: session.id, path, locked }));
  };

  // Keyboard-first: the main actions have shortcuts (Cmd on macOS, Ctrl elsewhere).
  const shortcuts = useRef<(e: KeyboardEvent) => void>(() => {});
  shortcuts.current = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const key = e.key.toLowerCase();
    if (key === 'n' && !e.shiftKey) {
      e.preventDefault();
      setDialog(null);
      void newSession();
    } else if (key === 'k') {
      e.preventDefault();
      setDialog(null);
      searchInput.current?.focus();
      searchInput.current?.select();
    } else if (key === ',') {
      e.preventDefault();
      setDialog('settings');
    } else if (key === 'e' && sessionRef.current) {
      e.preventDefault();
      setDialog('export');
    } else if (key === 'z' && !e.shiftKey && !isEditable(e.target)) {
      // Undo the last undoable thing (a delete) from anywhere outside a text field.
      if (undoLast()) e.preventDefault();
    } else if (key === 'j') {
      e.preventDefault();
      document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]')?.focus();
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => shortcuts.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const messageIds = useMemo(() => new Set(session?.messages.map((m) => m.id) ?? []), [session]);

  return (
    <div className="app">
      <aside className="sidebar">
        <SessionBrowser
          ref={searchInput}
          items={list.items}
          total={list.total}
          quarantined={list.quarantined}
          selectedId={session?.id ?? null}
          search={list.search}
          query={list.query}
          loading={list.loading}
          onSearch={list.setSearch}
          onRange={list.ensureRange}
          onOpen={(id) => void openSession(id)}
          onNew={() => void newSession()}
          onImport={(file) => void importFile(file)}
          onRename={(id, title) => void rename(id, title)}
          onDuplicate={(id) => void duplicate(id)}
          onDelete={(id, title) => void remove(id, title)}
        />
      </aside>
      <main className="main">
        {appError ? (
          <div className="banner app-banner" role="alert">
            <div className="banner-text">
              <strong className="banner-title">{appError.message}</strong>
              <span>Try again; if it keeps failing, restart Parley.</span>
            </div>
            <button type="button" className="button button-small" onClick={() => setAppError(null)}>
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
            highlight={highlight}
            onDraft={(text) => setDrafts((d) => ({ ...d, [session.id]: text }))}
            onSend={(text) => void send(text)}
            onStop={() => void stop()}
            onRetry={retry}
            onContinueOffline={() => void continueOffline()}
            onOpenSettings={() => setDialog('settings')}
            onOpenExport={() => setDialog('export')}
            onDismissError={() => setErrors(({ [session.id]: _gone, ...rest }) => rest)}
          />
        ) : (
          <div className="empty-main">
            <h1>Design a voice agent by talking to it</h1>
            <p>Choose a session on the left, or start a new one.</p>
            <button type="button" className="button button-primary" onClick={() => void newSession()}>
              New session
            </button>
            <p className="hint">
              <kbd>Ctrl</kbd> <kbd>N</kbd> new session · <kbd>Ctrl</kbd> <kbd>K</kbd> search · <kbd>Ctrl</kbd> <kbd>,</kbd> settings
            </p>
          </div>
        )}
      </main>
      <aside className="inspector" aria-label="Interview">
        {session ? (
          <>
            <StageTracker stage={session.stage} awaiting={session.awaiting} spec={session.spec} onGoBack={(s) => void goBack(s)} />
            <div className="tabs" role="tablist" aria-label="Design views">
              {(['spec', 'workflow'] as const).map((t) => (
                <button
                  key={t}
                  type="button"
                  role="tab"
                  id={`tab-${t}`}
                  aria-controls={`tabpanel-${t}`}
                  aria-selected={tab === t}
                  tabIndex={tab === t ? 0 : -1}
                  className="tab"
                  onClick={() => setTab(t)}
                  onKeyDown={(e) => {
                    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                      const next = tab === 'spec' ? 'workflow' : 'spec';
                      setTab(next);
                      document.getElementById(`tab-${next}`)?.focus();
                    }
                  }}
                >
                  {t === 'spec' ? 'Spec' : 'Workflow'}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
              {tab === 'spec' ? (
                <SpecPanel
                  spec={session.spec}
                  awaiting={session.awaiting}
                  messageIds={messageIds}
                  onEdit={edit}
                  onLock={lock}
                  onShowSource={(id) => setHighlight((h) => (h === id ? null : id))}
                />
              ) : (
                <WorkflowView spec={session.spec} title={session.title} theme={theme} />
              )}
            </div>
          </>
        ) : null}
      </aside>
      <StatusBar info={info} connection={connection} />
      <Toasts toasts={toasts} onDismiss={dismissToast} />
      {dialog === 'settings' ? <SettingsDialog api={api} info={info} onClose={() => setDialog(null)} onSaved={applySettings} /> : null}
      {dialog === 'export' && session ? <ExportDialog api={api} info={info} sessionId={session.id} onClose={() => setDialog(null)} onSaved={(m) => toast(m)} /> : null}
    </div>
  );
}
