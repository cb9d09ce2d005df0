import { ParleyError } from '../../shared/errors';
import type { AppInfo } from '../../shared/ipc';
import type { EventListener } from './events';

/** What the app says about itself: its info, the notices to show, and the data folder. */
export interface AppService {
  info(): AppInfo;
  notices(): { notices: string[] };
  revealDataDir(): Promise<{ revealed: boolean }>;
  /** Emits notices that appeared while a request ran (a file quarantined on read, …). */
  announceNew(): void;
}

export function createAppService(deps: {
  info: AppInfo;
  /** Every notice so far, from every store. */
  notices: () => string[];
  /** The OS file manager (desktop app only). */
  revealPath?: (path: string) => Promise<boolean>;
  emit: EventListener;
}): AppService {
  const announced = new Set(deps.notices());
  return {
    info: () => deps.info,
    notices: () => ({ notices: deps.notices() }),
    async revealDataDir() {
      const dataDir = deps.info.dataDir;
      if (!deps.revealPath) throw new ParleyError('UNSUPPORTED', `Opening the file manager needs the desktop app; the data folder is ${dataDir}.`);
      return { revealed: await deps.revealPath(dataDir) };
    },
    announceNew() {
      for (const message of deps.notices()) {
        if (announced.has(message)) continue;
        announced.add(message);
        deps.emit('app:notice', { message });
      }
    },
  };
}
