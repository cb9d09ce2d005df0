import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Parley';

/**
 * The folder Electron's app.getPath('userData') resolves to for Parley, computed without Electron
 * so that the CLI and preview use the desktop app's own data unless told otherwise.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** --data-dir wins, then PARLEY_DATA_DIR, then the app's own folder. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.PARLEY_DATA_DIR ?? defaultDataDir(env);
}
