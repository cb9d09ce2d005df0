import { join } from 'node:path';
import { isSessionId } from '../../shared/ids';
import { isTempName } from '../fs/atomic';
import { isNotFound, type FsLayer } from '../fs/layer';
import { checkDataFolder, checkRealDirectory } from './quarantine';

/** A temp file younger than this may still be being written by another process. */
const TEMP_MIN_AGE_MS = 60_000;

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
  // Split at the last dot rather than matching a pattern per name: 10,000 names are read at every start.
  for (const name of names) {
    const dot = name.lastIndexOf('.');
    const stem = name.slice(0, dot);
    const ext = name.slice(dot + 1).toLowerCase();
    if (ext === 'json' && isSessionId(stem)) keys.push(stem.toLowerCase());
    else if (ext === 'journal' && isSessionId(stem)) leftJournals.push(stem.toLowerCase());
    else if (isTempName(name) && options.sweepTemps) await sweepTemp(fs, join(sessionsDir, name), options.clock);
  }
  return { keys, leftJournals };
}

async function sweepTemp(fs: FsLayer, path: string, clock: () => Date): Promise<void> {
  const st = await fs.lstat(path).catch(() => null);
  if (st && st.kind !== 'directory' && clock().getTime() - st.mtimeMs > TEMP_MIN_AGE_MS) await fs.unlink(path).catch(() => undefined);
}

/**
 * The left-over journals that hold something to replay. An empty one was kept for a next turn by
 * a run that did not close; it is removed, unless the store only reads.
 */
export async function journalsToReplay(fs: FsLayer, sessionsDir: string, keys: string[], readOnly: boolean): Promise<string[]> {
  const replay: string[] = [];
  for (const key of keys) {
    const path = join(sessionsDir, `${key}.journal`);
    const st = await fs.lstat(path).catch(() => null);
    if (st?.kind !== 'file' || st.size > 0) replay.push(key);
    else if (!readOnly) await fs.unlink(path).catch(() => undefined);
  }
  return replay;
}

/** Runs `task` over `items`, at most `limit` at a time. */
export async function inBatches<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
