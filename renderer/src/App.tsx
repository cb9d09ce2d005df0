import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { AppInfo, ParleyApi, SessionsList } from '../../shared/ipc';
import type { Session } from '../../shared/session';
import type { KeyProvider } from '../../shared/providers';
import { asParleyError, type IpcError } from '../../shared/errors';
import type { Connection } from './bridge';
import { Chat } from './components/Chat';
import { SessionBrowser } from './components/SessionBrowser';
import { Inspector, type InspectorProps } from './components/Inspector';
import { ToolImportDialog } from './components/ToolImportDialog';
import { ToolTryDialog } from './components/ToolTryDialog';
import { StatusBar } from './components/StatusBar';
import { SettingsDialog } from './components/SettingsDialog';
import { ExportDialog } from './components/ExportDialog';
import { PublishDialog } from './components/PublishDialog';
import { VersionsDialog } from './components/VersionsDialog';
import { PromptDialog } from './components/PromptDialog';
import { SimulationDialog } from './components/SimulationDialog';
import { Toasts } from './components/Toasts';
import { SkipLinks, type SkipTarget } from './components/SkipLinks';
import { TemplateGallery } from './components/TemplateGallery';
import { useTemplateActions, type TemplateActions } from './lib/useTemplateActions';
import { useSessionList } from './lib/useSessionList';
import { useToasts, type ToastsApi } from './lib/useToasts';
import { useSessionActions, type SessionActions } from './lib/useSessionActions';
import { useTurns } from './lib/useTurns';
import { useShortcuts } from './lib/useShortcuts';
import { useProviderState, type ProviderStateApi } from './lib/useProviderState';
import { NARROW_QUERY, useMedia, useTheme, type Drawer } from './lib/useLayout';
import { afterPaint } from './lib/afterPaint';
import { openGuard } from './lib/openGuard';

export interface AppProps {
  api: ParleyApi;
  connection?: Connection | null;
  /** Search debounce; tests pass 0. */
  searchDelayMs?: number;
  /** How long the Undo toast stays; tests pass a short one. */
  toastMs?: number;
}

type Dialog =
  | { kind: 'settings'; focusKey?: KeyProvider }
  | { kind: 'export' }
  | { kind: 'publish' }
  | { kind: 'prompt' }
  | { kind: 'tools-import' }
  | { kind: 'tool-try'; index: number }
  | { kind: 'simulate' }
  | { kind: 'versions' }
  | { kind: 'templates' }
  | null;

export function App({ api, connection = null, searchDelayMs = 150, toastMs = 8000 }: AppProps) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [appError, setAppError] = useState<IpcError | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [highlight, setHighlight] = useState<string | null>(null);
  const [drawer, setDrawer] = useState<Drawer>(null);
  const narrow = useMedia(NARROW_QUERY);
  const searchInput = useRef<HTMLInputElement>(null);
  const inspector = useRef<HTMLElement>(null);

  const fail = useCallback((e: unknown) => setAppError(asParleyError(e).toJSON()), []);
  const list = useSessionList(api, searchDelayMs, fail);
  const { toasts, toast, dismiss, undoLast } = useToasts(toastMs);
  const sessions = useSessionActions({ api, refreshList: list.refresh, listItems: list.items, toast, fail });
  const { session } = sessions;
  const turns = useTurns({ api, connection, sessionRef: sessions.sessionRef, setSession: sessions.setSession, refreshList: list.refresh });
  sessions.busy.current = turns.isRunning;
  const providers = useProviderState(api, session);
  const templates = useTemplateActions({ api, sessions, refreshList: list.refresh, toast, fail, openGallery: () => (nav.closeDrawer(), setDialog({ kind: 'templates' })) });
  const theme = useTheme(providers.settings?.theme);

  useStartup(api, list.refresh, sessions, setInfo, toast, fail);
  useEffect(() => api.on('app:notice', ({ message }) => toast(message)), [api, toast]);

  useSessionShown(session?.id, () => {
    if (inspector.current) inspector.current.scrollTop = 0;
    setHighlight(null);
  });

  const nav = useNavigation(narrow, setDrawer, () => setDialog(null), searchInput);
  useDrawerFocus(narrow ? drawer : null, setDrawer);

  useShortcuts({
    newSession: () => void sessions.create().then(() => setDialog(null)),
    focusSearch: nav.focusSearch,
    openSettings: () => setDialog({ kind: 'settings' }),
    openExport: session ? () => setDialog({ kind: 'export' }) : undefined,
    undo: undoLast,
    focusMessage: nav.focusMessage,
  });

  const closeDialog = () => {
    if (dialog?.kind === 'settings') providers.refresh();
    setDialog(null);
  };

  return (
    <div className={`app${narrow ? ' is-narrow' : ''}${drawer ? ` drawer-${drawer}` : ''}`}>
      <SkipLinks onSkip={nav.skipTo} hasSession={!!session} />
      <aside className="sidebar drawer-panel" data-drawer="sessions" inert={narrow && drawer !== 'sessions'}>
        <SessionBrowser
          ref={searchInput}
          {...sessionListProps(list)}
          selectedId={session?.id ?? null}
          onOpen={(id) => {
            nav.closeDrawer();
            void sessions.open(id);
          }}
          onNew={() => {
            nav.closeDrawer();
            void sessions.create();
          }}
          onImport={(file) => void sessions.importFile(file)}
          onRename={(id, title) => void sessions.rename(id, title)}
          onSaveAsTemplate={(id, title) => void templates.saveAsTemplate(id, title)}
          onDelete={(id, title) => void sessions.remove(id, title)}
          onNewFromTemplate={templates.open}
        />
      </aside>
      <main className="main">
        {appError ? <AppErrorBanner error={appError} onDismiss={() => setAppError(null)} /> : null}
        {session ? (
          <Chat
            key={session.id}
            session={session}
            turn={turns.turns[session.id] ?? null}
            error={turns.errors[session.id] ?? null}
            draft={turns.drafts[session.id] ?? ''}
            highlight={highlight}
            provider={providers.state}
            autoFocus={sessions.focusOnOpen.current}
            narrow={narrow}
            onToggleDrawer={(which) => setDrawer((d) => (d === which ? null : which))}
            onDraft={(text) => turns.setDraft(session.id, text)}
            onSend={(text) => void turns.send(text)}
            onStop={() => void turns.stop().catch(fail)}
            onRetry={turns.retry}
            onContinueOffline={(retry) => void sessions.setProvider('offline').then(() => retry && turns.retry(), fail)}
            onAddKey={(provider) => setDialog({ kind: 'settings', focusKey: provider === 'openai' || provider === 'anthropic' ? provider : undefined })}
            onOpenSettings={() => setDialog({ kind: 'settings' })}
            onOpenExport={() => setDialog({ kind: 'export' })}
            onOpenVersions={() => setDialog({ kind: 'versions' })}
            onDismissError={() => turns.dismissError(session.id)}
          />
        ) : (
          <EmptyMain narrow={narrow} onNew={() => void sessions.create()} onNewFromTemplate={templates.open} onShowSessions={() => setDrawer('sessions')} />
        )}
      </main>
      <aside ref={inspector} className="inspector drawer-panel" data-drawer="inspector" aria-label="Interview" inert={narrow && drawer !== 'inspector'}>
        {session ? (
          <InspectorPanel
            session={session}
            theme={theme}
            sessions={sessions}
            open={setDialog}
            onShowSource={(id) => {
              nav.closeDrawer();
              setHighlight((h) => (h === id ? null : id));
            }}
          />
        ) : null}
      </aside>
      {narrow && drawer ? <div className="drawer-scrim" aria-hidden="true" onClick={() => setDrawer(null)} /> : null}
      <StatusBar info={info} connection={connection} session={session} provider={providers.state} />
      <Toasts toasts={toasts} onDismiss={dismiss} />
      <AppDialogs dialog={dialog} api={api} info={info} session={session} sessions={sessions} providers={providers} templates={templates} toast={toast} onClose={closeDialog} onOpen={setDialog} />
    </div>
  );
}

/** First launch: app info and notices, then the newest session, or a new one to greet with. A
 * session that froze the window the last time it was opened is not opened again by itself. */
function useStartup(
  api: ParleyApi,
  refreshList: () => Promise<SessionsList | null>,
  sessions: Pick<SessionActions, 'open' | 'create'>,
  setInfo: (info: AppInfo) => void,
  toast: ToastsApi['toast'],
  fail: (e: unknown) => void,
) {
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api.app.info().then(setInfo, fail);
    api.app.notices().then(({ notices }) => notices.forEach((n) => toast(n)), () => {});
    const suspect = openGuard.suspect();
    refreshList().then((first) => {
      const newest = first?.items[0];
      if (!first) return;
      if (!newest) return sessions.create();
      if (newest.id === suspect) {
        toast(`“${newest.title}” was not reopened: Parley stopped responding the last time it opened it. Open it from the list when you want it.`);
        return;
      }
      return sessions.open(newest.id);
    }, fail);
  }, [api, refreshList, sessions, setInfo, fail, toast]);
}

/** Moving around by keyboard: the search, the message box, skip links; drawers open on the way when narrow. */
function useNavigation(narrow: boolean, setDrawer: (d: Drawer) => void, closeDialog: () => void, searchInput: RefObject<HTMLInputElement | null>) {
  const focusSearch = () => {
    closeDialog();
    const focus = () => {
      searchInput.current?.focus();
      searchInput.current?.select();
    };
    if (!narrow) return focus();
    // The drawer is inert until it has rendered open.
    setDrawer('sessions');
    afterPaint(focus);
  };
  const focusMessage = () => {
    closeDialog();
    if (narrow) setDrawer(null);
    document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]')?.focus();
  };
  const skipTo = (target: SkipTarget) => {
    if (target === 'chat') return focusMessage();
    if (target === 'sessions') return focusSearch();
    if (narrow) setDrawer('inspector');
    afterPaint(() => document.getElementById('spec-title')?.closest<HTMLElement>('section')?.focus());
  };
  return { focusSearch, focusMessage, skipTo, closeDrawer: () => narrow && setDrawer(null) };
}

function EmptyMain({ narrow, onNew, onNewFromTemplate, onShowSessions }: { narrow: boolean; onNew(): void; onNewFromTemplate(): void; onShowSessions(): void }) {
  return (
    <div className="empty-main">
      <h1>Design a voice agent by talking to it</h1>
      <p>Choose a session {narrow ? 'from the list' : 'on the left'}, or start a new one.</p>
      <div className="empty-actions">
        <button type="button" className="button button-primary" onClick={onNew}>
          New session
        </button>
        <button type="button" className="button" onClick={onNewFromTemplate}>
          New from template…
        </button>
        {narrow ? (
          <button type="button" className="button" onClick={onShowSessions}>
            Show sessions
          </button>
        ) : null}
      </div>
      <p className="hint">
        <kbd>Ctrl</kbd> <kbd>N</kbd> new session · <kbd>Ctrl</kbd> <kbd>K</kbd> search · <kbd>Ctrl</kbd> <kbd>,</kbd> settings
      </p>
    </div>
  );
}

/** The side panel's Inspector, its buttons opening the app's dialogs. */
function InspectorPanel({ session, theme, sessions, open, onShowSource }: Pick<InspectorProps, 'session' | 'theme' | 'onShowSource'> & { sessions: SessionActions; open(dialog: Dialog): void }) {
  return (
    <Inspector
      session={session}
      theme={theme}
      onGoBack={(stage) => void sessions.goBack(stage)}
      onEdit={sessions.edit}
      onLock={sessions.lock}
      onShowSource={onShowSource}
      onOpenPrompt={() => open({ kind: 'prompt' })}
      onImportTools={() => open({ kind: 'tools-import' })}
      onTryTool={(index) => open({ kind: 'tool-try', index })}
      onOpenSimulate={() => open({ kind: 'simulate' })}
    />
  );
}

interface AppDialogsProps {
  dialog: Dialog;
  api: ParleyApi;
  info: AppInfo | null;
  session: Session | null;
  sessions: SessionActions;
  providers: ProviderStateApi;
  templates: TemplateActions;
  toast: ToastsApi['toast'];
  onClose(): void;
  onOpen(dialog: Dialog): void;
}

function AppDialogs({ dialog, api, info, session, sessions, providers, templates, toast, onClose, onOpen }: AppDialogsProps) {
  if (dialog?.kind === 'templates') {
    return (
      <TemplateGallery
        templates={templates.templates}
        error={templates.error}
        onStart={(name) => void templates.start(name).then((started) => started && onClose())}
        onImport={(file) => void templates.importFile(file)}
        onExport={(name) => void templates.exportTemplate(name)}
        onClose={onClose}
      />
    );
  }
  if (dialog?.kind === 'settings') return <SettingsDialog api={api} info={info} focusKey={dialog.focusKey} onClose={onClose} onSaved={providers.setSettings} />;
  if (!session) return null;
  if (dialog?.kind === 'export') return <ExportDialog api={api} info={info} sessionId={session.id} onClose={onClose} onSaved={(m) => toast(m)} onPublish={() => onOpen({ kind: 'publish' })} />;
  if (dialog?.kind === 'publish') {
    return <PublishDialog api={api} session={session} onClose={onClose} onAddKey={() => onOpen({ kind: 'settings', focusKey: 'elevenlabs' })} onPublished={(m) => toast(m)} />;
  }
  if (dialog?.kind === 'versions') return <VersionsDialog api={api} sessionId={session.id} onClose={onClose} onRestored={sessions.setSession} />;
  if (dialog?.kind === 'prompt') {
    return <PromptDialog api={api} session={session} onEdit={sessions.edit} onLock={sessions.lock} onRegenerate={() => sessions.regenerate('system_prompt')} onClose={onClose} />;
  }
  if (dialog?.kind === 'tools-import') return <ToolImportDialog api={api} sessionId={session.id} onClose={onClose} onImported={(s) => sessions.setSession(s)} />;
  const tried = dialog?.kind === 'tool-try' ? session.spec.tools[dialog.index] : undefined;
  if (dialog?.kind === 'tool-try' && tried) {
    return <ToolTryDialog api={api} sessionId={session.id} index={dialog.index} tool={tried} onClose={onClose} onEdit={sessions.edit} onSaved={(s) => sessions.setSession(s)} />;
  }
  if (dialog?.kind === 'simulate') return <SimulationDialog api={api} session={session} onClose={onClose} />;
  return null;
}

function sessionListProps(list: ReturnType<typeof useSessionList>) {
  const { items, total, quarantined, search, query, loading, setSearch, ensureRange } = list;
  return { items, total, quarantined, search, query, loading, onSearch: setSearch, onRange: ensureRange };
}

function AppErrorBanner({ error, onDismiss }: { error: IpcError; onDismiss(): void }) {
  return (
    <div className="banner app-banner" role="alert">
      <div className="banner-text">
        <strong className="banner-title">{error.message}</strong>
        <span>Try again; if it keeps failing, restart Parley.</span>
      </div>
      <button type="button" className="button button-small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

/**
 * Each session shown starts at the top of the side panel; once it has painted, it is marked safe
 * to open at the next launch (see openGuard).
 */
function useSessionShown(sessionId: string | undefined, onShown: () => void) {
  const latest = useRef(onShown);
  latest.current = onShown;
  useEffect(() => {
    if (!sessionId) return;
    latest.current();
    return afterPaint(() => openGuard.painted(sessionId));
  }, [sessionId]);
}

/**
 * An open drawer takes the focus (its first control) and Escape closes it, handing focus back to
 * where it was; a dialog's own Escape comes first.
 */
function useDrawerFocus(drawer: Drawer, setDrawer: (d: Drawer) => void) {
  useEffect(() => {
    if (!drawer) return;
    const before = document.activeElement as HTMLElement | null;
    const panel = document.querySelector<HTMLElement>(`[data-drawer="${drawer}"]`);
    const cancel = afterPaint(() => {
      if (panel && !panel.contains(document.activeElement)) panel.querySelector<HTMLElement>('input, button:not([disabled]), [tabindex="0"]')?.focus();
    });
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('[role="dialog"]')) return;
      setDrawer(null);
      if (before?.isConnected) before.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      cancel();
      window.removeEventListener('keydown', onKey);
    };
  }, [drawer, setDrawer]);
}
