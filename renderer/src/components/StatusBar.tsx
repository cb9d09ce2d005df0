import { useSyncExternalStore } from 'react';
import type { AppInfo } from '../../../shared/ipc';
import type { Connection } from '../bridge';
import type { ConnectionStatus } from '../wsTransport';
import type { Session } from '../../../shared/session';
import type { ProviderState } from '../lib/useProviderState';
import { sessionCost } from '../lib/usage';

const HOSTS: Record<AppInfo['host'], string> = { electron: 'Desktop', preview: 'Preview', cli: 'CLI' };
const CONNECTION: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Connection lost, reconnecting…',
  closed: 'Disconnected',
};

const noConnection = () => () => {};

export interface StatusBarProps {
  info: AppInfo | null;
  connection: Connection | null;
  session?: Pick<Session, 'usage'> | null;
  provider?: ProviderState | null;
}

/** App name, version and host, the open session's cost so far and who answers, the preview socket's state. */
export function StatusBar({ info, connection, session = null, provider = null }: StatusBarProps) {
  const status = useSyncExternalStore(
    connection ? (cb) => connection.onStatus(cb) : noConnection,
    () => connection?.status ?? null,
  );
  return (
    <footer className="statusbar">
      <span className="app-info" data-testid="app-info">
        {info ? `${info.name} ${info.version} · ${HOSTS[info.host]} · ${info.platform}` : 'Parley'}
      </span>
      {info ? (
        <span className="data-dir" title={info.dataDir}>
          Data: {info.dataDir}
        </span>
      ) : null}
      {session ? (
        <span className="session-cost" data-testid="session-cost" title="This session so far, and who answers the next message">
          {sessionCost(session)}
          {provider ? ` · ${provider.answering.provider === 'offline' ? 'offline interviewer' : provider.answering.label}` : ''}
        </span>
      ) : null}
      {status ? (
        <span className={`connection connection-${status}`} role="status">
          {CONNECTION[status]}
        </span>
      ) : null}
    </footer>
  );
}
