import { join } from 'node:path';
import { isSessionId } from '../../shared/ids';
import { isTempName } from '../fs/atomic';
import { isNotFound, type FsLayer } from '../fs/layer';
import { checkDataFolder, checkRealDirectory } from './quarantine';

/** A temp file younger than this may still be being written by another process. */
const TEMP_MIN_AGE_MS = 60_000;
const JOURNAL_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.journal$/i;
const SESSION_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/i;

/**
 * The data folder's session folders before the store uses them: real directories (never links),
 * created when missing, except by a read-only store, for which a missing data folder is an error.
 */
export async function checkSessionFolders(fs: FsLayer, dataDir: string, readOnly: boolean): Promise<void> {
  const sessionsDir = join(dataDir, 'sessions');
  const trashDir = join(dataDir, 'trash');
  if (readOnly) {
    await checkDataFolder(fs, dataDir);
    if (await fs.lstat(sessionsDir).catch(() => null)) await checkRealDirectory(fs, sessionsDir, dataDir);
  } else {
    await fs.mkdir(sessionsDir);
    await checkRealDirectory(fs, sessionsDir, dataDir);
  }
  if (await fs.lstat(trashDir).catch(() => null)) await checkRealDirectory(fs, trashDir, dataDir);
}

/**
 * The session files in the folder and the journals a crash left behind. With `sweepTemps` (the
 * lock holder only) temp files older than a minute, left by a crash mid-save, are removed; a
 * younger one may be a save in progress in another process.
 */
export async function scanSessionsFolder(
  fs: FsLayer,
  sessionsDir: string,
  options: { sweepTemps: boolean; clock: () => Date },
): Promise<{ keys: string[]; leftJournals: string[] }> {
  const keys: string[] = [];
  const leftJournals: string[] = [];
  let names: string[];
  try {
    names = await fs.readdir(sessionsDir);
  } catch (error) {
    if (isNotFound(error)) return { keys, leftJournals }; // a read-only store on a folder with no session yet
    throw error;
  }
  for (const name of names) {
    const m = SESSION_FILE.exec(name);
    const j = JOURNAL_FILE.exec(name);
    if (m && m[1] && isSessionId(m[1])) keys.push(m[1].toLowerCase());
    else if (j && j[1] && isSessionId(j[1])) leftJournals.push(j[1].toLowerCase());
    else if (isTempName(name) && options.sweepTemps) await sweepTemp(fs, join(sessionsDir, name), options.clock);
  }
  return { keys, leftJournals };
}

async function sweepTemp(fs: FsLayer, path: string, clock: () => Date): Promise<void> {
  const st = await fs.lstat(path).catch(() => null);
  if (st && st.kind !== 'directory' && clock().getTime() - st.mtimeMs > TEMP_MIN_AGE_MS) await fs.unlink(path).catch(() => undefined);
}
