import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { isNotFound, type FsLayer } from './fs-layer';

/** Temp files are dot-prefixed and end in ".tmp", so a directory scan can tell them from real files. */
export function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/**
 * Replaces `file` so that a crash at any instant leaves either the old bytes or the new ones:
 * write a temp file in the same directory, fsync it, rename it over the target, fsync the directory.
 * On failure the temp file is removed and the target is untouched.
 */
export async function writeFileAtomic(fs: FsLayer, file: string, data: string | Uint8Array): Promise<void> {
  const temp = tempNameFor(file);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let renamed = false;
  try {
    const handle = await fs.createExclusive(temp);
    try {
      await handle.write(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
    renamed = true;
    await fs.syncDir(dirname(file));
  } finally {
    if (!renamed) await fs.unlink(temp).catch(() => undefined);
  }
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

  async write(data: T): Promise<void> {
    await writeFileAtomic(this.fs, this.path, serialize(data, this.indent));
  }
}

export function serialize(data: unknown, indent = 2): string {
  return `${JSON.stringify(data, null, indent)}\n`;
}
