import * as fsp from 'node:fs/promises';

/** An open file the atomic writer fills; node's FileHandle satisfies it. */
export interface WritableFile {
  write(data: Uint8Array): Promise<unknown>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every filesystem call the stores make goes through this, so that tests can inject faults
 * (ENOSPC, EACCES, torn writes) into the real code path instead of mocking the store.
 */
export interface FsLayer {
  /** Creates a new file exclusively (fails if it exists), mode 0600. */
  createExclusive(path: string): Promise<WritableFile>;
  readFile(path: string): Promise<Buffer>;
  appendFile(path: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ size: number; mtimeMs: number }>;
  /** Makes a rename inside `dir` durable; a no-op where directories cannot be fsynced (Windows). */
  syncDir(dir: string): Promise<void>;
}

export const nodeFs: FsLayer = {
  createExclusive: (path) => fsp.open(path, 'wx', 0o600),
  readFile: (path) => fsp.readFile(path),
  appendFile: (path, data) => fsp.appendFile(path, data, { encoding: 'utf8', mode: 0o600 }),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  mkdir: async (path) => {
    await fsp.mkdir(path, { recursive: true, mode: 0o700 });
  },
  readdir: (path) => fsp.readdir(path),
  stat: async (path) => {
    const s = await fsp.stat(path);
    return { size: s.size, mtimeMs: s.mtimeMs };
  },
  syncDir: async (dir) => {
    if (process.platform === 'win32') return;
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(dir, 'r');
      await handle.sync();
    } catch {
      // Some filesystems refuse fsync on a directory; the rename itself is still atomic there.
    } finally {
      await handle?.close();
    }
  },
};

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

export function isNotFound(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}
