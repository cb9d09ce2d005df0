import { isNotFound, isNotRegularFile, type FsLayer, type NotRegularKind } from './layer';

/** What reading a text file found. Errors other than "missing" (EACCES, EIO, …) are thrown. */
export type TextRead =
  | { kind: 'text'; text: string; size: number; mtimeMs: number }
  | { kind: 'missing' }
  | { kind: 'not-a-file'; directory: boolean; what: NotRegularKind; size: number; mtimeMs: number }
  | { kind: 'too-large'; size: number; mtimeMs: number }
  | { kind: 'not-utf8'; size: number; mtimeMs: number };

/** Bytes that are not UTF-8 make a file unreadable instead of being silently replaced by U+FFFD. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a UTF-8 text file that may be damaged or not what it claims to be. Checks before
 * reading: a directory, a device or a huge file is never loaded into memory to find out it is
 * bad (a FIFO would block the read for ever). `noFollow` for the data folder's own files: a
 * symbolic link there is reported as not a file (and the read itself refuses to follow one
 * planted between the check and the open).
 */
export async function readTextFile(fs: FsLayer, file: string, maxBytes: number, options: { noFollow?: boolean } = {}): Promise<TextRead> {
  const noFollow = options.noFollow === true;
  try {
    const st = noFollow ? await fs.lstat(file) : await fs.stat(file);
    const seen = { size: st.size, mtimeMs: st.mtimeMs };
    if (st.kind !== 'file') return { kind: 'not-a-file', directory: st.kind === 'directory', what: st.kind, ...seen };
    if (st.size > maxBytes) return { kind: 'too-large', ...seen };
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file, { noFollow });
    } catch (error) {
      if (!isNotRegularFile(error)) throw error;
      return { kind: 'not-a-file', directory: error.kind === 'directory', what: error.kind, ...seen };
    }
    try {
      return { kind: 'text', text: STRICT_UTF8.decode(bytes), ...seen };
    } catch {
      return { kind: 'not-utf8', ...seen };
    }
  } catch (error) {
    if (isNotFound(error)) return { kind: 'missing' };
    throw error;
  }
}
