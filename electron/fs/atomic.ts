import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { errorCode, isNotFound, NotRegularFileError, type FsLayer } from './layer';

/** Temp files are dot-prefixed and end in ".tmp", so a directory scan can tell them from real files. */
export function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/** Whether `name` is one of tempNameFor(file)'s names for this file (same folder assumed). */
export function isTempNameFor(file: string, name: string): boolean {
  const base = basename(file);
  return name.length === base.length + 18 && name.startsWith(`.${base}.`) && /^\.[0-9a-f]{12}\.tmp$/.test(name.slice(base.length + 1));
}

export interface AtomicWriteOptions {
  /** Permission bits of the file (default 0600; the umask can only remove bits). */
  mode?: number;
  /**
   * false: never replace an existing file, even one that appears during the write: the temp
   * file is hard-linked to the target (EEXIST when it exists) instead of renamed over it.
   */
  replace?: boolean;
  /** false for folders outside the data folder (see FsLayer.syncDir). */
  keepDirOpen?: boolean;
  /**
   * Replace only a regular file: a symbolic link, directory or special file at the target is
   * refused with NotRegularFileError, checked right before the rename (files the user names).
   */
  replaceRegularOnly?: boolean;
}

/** Refuses to rename over anything but a regular file (or nothing). */
async function checkReplaceable(fs: FsLayer, file: string): Promise<void> {
  const existing = await fs.lstat(file).catch((error: unknown) => {
    if (isNotFound(error)) return null;
    throw error;
  });
  if (existing && existing.kind !== 'file') throw new NotRegularFileError(file, existing.kind);
}

/** Gives the written temp file its real name without replacing anything; true when the temp file is gone. */
async function placeWithoutReplacing(fs: FsLayer, temp: string, file: string): Promise<boolean> {
  try {
    await fs.link(temp, file);
    return false;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') throw error;
    // Filesystems without hard links (FAT, some network shares): a checked rename.
    if (await fs.lstat(file).catch(() => null)) throw Object.assign(new Error(`${file} already exists`), { code: 'EEXIST' });
    await fs.rename(temp, file);
    return true;
  }
}

/**
 * The one atomic writer. Replaces (or, with `replace: false`, creates) `file` so that a crash
 * at any instant leaves either the old bytes or the new ones: write a temp file in the same
 * directory, fsync it, rename it over the target, fsync the directory. On failure the temp file
 * is removed and the target is untouched.
 */
export async function writeFileAtomic(fs: FsLayer, file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<FileStamp | null> {
  const temp = tempNameFor(file);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let tempGone = false;
  let stamp: FileStamp | null = null;
  try {
    const handle = await fs.createExclusive(temp, options.mode);
    try {
      await handle.write(bytes);
      await handle.sync();
      // The rename (or link) keeps the inode, so this is the stamp the target will have.
      stamp = (await handle.stat?.()) ?? null;
    } finally {
      await handle.close();
    }
    if (options.replace === false) {
      tempGone = await placeWithoutReplacing(fs, temp, file);
    } else {
      if (options.replaceRegularOnly) await checkReplaceable(fs, file);
      await fs.rename(temp, file);
      tempGone = true;
    }
  } finally {
    if (!tempGone) await fs.unlink(temp).catch(() => undefined);
  }
  await fs.syncDir(dirname(file), { keepOpen: options.keepDirOpen !== false });
  return stamp;
}

/** Size and modification time of a written file, as the index records them. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/**
 * A lowdb adapter over one JSON file, written atomically. Reads return the parsed JSON as
 * `unknown`-shaped data; callers validate it (the store migrates and checks it with zod).
 * A file that is not valid JSON rejects with a SyntaxError so the caller can quarantine it.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
  constructor(
    private readonly fs: FsLayer,
    readonly path: string,
    private readonly indent: number = 2,
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = (await this.fs.readFile(this.path)).toString('utf8');
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    return JSON.parse(text) as T;
  }

  /** The stamp of the last successful write, when the fs layer could read it from the open file. */
  lastWritten: FileStamp | null = null;

  async write(data: T): Promise<void> {
    this.lastWritten = await writeFileAtomic(this.fs, this.path, serialize(data, this.indent));
  }
}

export function serialize(data: unknown, indent = 2): string {
  return `${JSON.stringify(data, null, indent)}\n`;
}
