import { useSyncExternalStore } from 'react';
import type { AppInfo } from '../../../shared/ipc';
import type { Connection } from '../bridge';
import type { ConnectionStatus } from '../wsTransport';

const HOSTS: Record<AppInfo['host'], string> = { electron: 'Desktop', preview: 'Preview', cli: 'CLI' };
const CONNECTION: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Connection lost, reconnecting…',
  closed: 'Disconnected',
};

const noConnection = () => () => {};

/** App name, version and host from app:info, plus the preview socket's state. */
export function StatusBar({ info, connection }: { info: AppInfo | null; connection: Connection | null }) {
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
      {status ? (
        <span className={`connection connection-${status}`} role="status">
          {CONNECTION[status]}
        </span>
      ) : null}
    </footer>
  );
}
