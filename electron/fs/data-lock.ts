import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { ParleyError } from '../../shared/errors';
import { readTextFile } from './guarded-read';
import { describeNotRegular, nodeFs, type NotRegularKind } from './layer';

/**
 * One Parley at a time per data folder. Each process keeps its sessions in memory and writes them
 * whole, so two long-lived instances (desktop app, preview) on one folder would silently undo each
 * other's turns. The lock is a file, `parley.lock`, created exclusively and holding the owner's pid;
 * a lock whose process is gone (a crash, a SIGKILL) is taken over. CLI commands that write take it
 * for their short run and wait for another CLI command to finish; read-only ones never need it.
 */

export const LOCK_FILE = 'parley.lock';

export type LockHost = 'electron' | 'preview' | 'cli';

export interface LockOwner {
  pid: number;
  host: LockHost;
  hostname: string;
  startedAt: string;
}

export interface DataLock {
  readonly file: string;
  /** Set when a lock left by a process that is gone was taken over. */
  readonly recovered: LockOwner | null;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** How long to wait for a CLI command holding the lock to finish (default 10 s). */
  waitForCliMs?: number;
  /** Whether a process exists; injected in tests. */
  isAlive?: (pid: number) => boolean;
  now?: () => Date;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 && typeof o.host === 'string' && typeof o.hostname === 'string' && typeof o.startedAt === 'string') {
      return o as LockOwner;
    }
  } catch {
    // unreadable: treated below
  }
  return null;
}

const HOST_LABEL: Record<LockHost, string> = { electron: 'the Parley app', preview: 'a Parley preview', cli: 'a parley command' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A lock file younger than this may still be being written by its creator. */
const FRESH_MS = 2000;

/** A lock file is one JSON line; anything much longer was not written by Parley. */
const MAX_LOCK_BYTES = 4096;

function notALock(file: string, kind: NotRegularKind): ParleyError {
  return new ParleyError(
    'UNSUPPORTED',
    `${file} is ${describeNotRegular(kind)}, not a lock file Parley wrote. Parley does not follow links or read special files in its data folder; remove it, then start again.`,
  );
}

/**
 * The lock's owner, read without following a link (O_NOFOLLOW) and without blocking on a FIFO:
 * anything but a regular file at parley.lock is refused with a clear error instead of being read
 * (a link to /dev/zero, or a dangling link that would look like a lock released for ever).
 */
async function readLock(file: string): Promise<{ owner: LockOwner | null; mtimeMs: number } | null> {
  const read = await readTextFile(nodeFs, file, MAX_LOCK_BYTES, { noFollow: true });
  switch (read.kind) {
    case 'missing':
      return null;
    case 'not-a-file':
      throw notALock(file, read.what);
    case 'text':
      return { owner: parseOwner(read.text), mtimeMs: read.mtimeMs };
    default:
      return { owner: null, mtimeMs: read.mtimeMs };
  }
}

/** Moves a stale lock aside, unless another process replaced it first (then puts that one back). */
async function takeOver(file: string, stale: LockOwner | null): Promise<boolean> {
  const aside = `${file}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const movedRead = await readLock(aside).catch(() => null);
  const moved = movedRead?.owner ?? null;
  const same = stale === null ? moved === null : moved !== null && moved.pid === stale.pid && moved.startedAt === stale.startedAt;
  if (!same) await link(aside, file).catch(() => undefined); // a live lock taken by mistake goes back
  await unlink(aside).catch(() => undefined);
  return same;
}

export async function acquireDataLock(dataDir: string, host: LockHost, options: AcquireOptions = {}): Promise<DataLock> {
  const file = join(dataDir, LOCK_FILE);
  const alive = options.isAlive ?? processAlive;
  const now = options.now ?? (() => new Date());
  const me: LockOwner = { pid: process.pid, host, hostname: hostname(), startedAt: now().toISOString() };
  const deadline = Date.now() + (options.waitForCliMs ?? 10_000);
  let recovered: LockOwner | null = null;
  await mkdir(dataDir, { recursive: true });

  for (;;) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } catch (error) {
        // A full disk can refuse the owner line after the file was created: leave no empty lock behind.
        await handle.close().catch(() => undefined);
        await unlink(file).catch(() => undefined);
        throw error;
      }
      await handle.close();
      return {
        file,
        recovered,
        async release() {
          const current = await readLock(file).catch(() => null);
          if (current?.owner?.pid === me.pid && current.owner.startedAt === me.startedAt) await unlink(file).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }

    const held = await readLock(file);
    if (!held) continue; // released meanwhile
    const { owner } = held;
    if (owner && owner.pid === process.pid && owner.hostname === me.hostname) {
      // The same process (tests, an in-process preview next to the CLI code): nothing to protect against.
      return { file, recovered: null, release: async () => undefined };
    }
    const sameMachine = owner?.hostname === me.hostname;
    const gone = owner ? sameMachine && !alive(owner.pid) : Date.now() - held.mtimeMs > FRESH_MS;
    if (gone) {
      if (await takeOver(file, owner)) recovered = owner;
      continue;
    }
    if (owner?.host === 'cli' || !owner) {
      if (Date.now() < deadline) {
        await sleep(50);
        continue;
      }
    }
    const who = owner ? `${HOST_LABEL[owner.host] ?? 'another Parley'} (pid ${owner.pid}${sameMachine ? '' : ` on ${owner.hostname}`}, since ${owner.startedAt})` : 'another Parley';
    throw new ParleyError(
      'CONFLICT',
      `The data folder ${dataDir} is in use by ${who}. Close it first, or use a different data folder (--data-dir or PARLEY_DATA_DIR). If no Parley is running, delete ${file}.`,
    );
  }
}
