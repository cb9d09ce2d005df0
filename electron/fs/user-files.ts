import path from 'node:path';
import { ParleyError } from '../../shared/errors';
import { MAX_FILE_BYTES, MAX_FILE_MB } from '../../shared/limits';
import { isTempNameFor, writeFileAtomic } from './atomic';
import { readTextFile } from './guarded-read';
import { describeNotRegular, errorCode, isNotRegularFile, nodeFs, type FsLayer, type NotRegularKind } from './layer';

/** Files the user names (an export's target, an import's source), outside the data folder. */

export interface WriteOptions {
  /** Replace an existing regular file (CLI --force, or the OS save dialog's own confirmation). */
  force?: boolean;
  fs?: FsLayer;
  /** The clock that tells a stale temp file from one being written now (tests step it). */
  now?: () => number;
}

/** Exports are the user's agent (its prompt, tool URLs): only the owner may read them, whatever the umask. */
export const EXPORT_FILE_MODE = 0o600;

/** A temp file this old was left by an export that died (kill -9, power loss); younger ones may be in use. */
export const STALE_TEMP_MS = 60_000;

/**
 * Removes the temp files an interrupted export of `file` left beside it: regular files with
 * tempNameFor(file)'s name pattern, older than a minute. Nothing else in the user's folder is touched.
 */
export async function removeStaleTemps(fs: FsLayer, file: string, now: number): Promise<string[]> {
  const dir = path.dirname(file);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!isTempNameFor(file, name)) continue;
    const temp = path.join(dir, name);
    const info = await fs.lstat(temp).catch(() => null);
    if (info?.kind !== 'file' || now - info.mtimeMs < STALE_TEMP_MS) continue;
    await fs.unlink(temp).then(
      () => removed.push(temp),
      () => undefined,
    );
  }
  return removed;
}

function notReplaceable(file: string, kind: NotRegularKind): ParleyError {
  if (kind === 'directory') return new ParleyError('INVALID_INPUT', `${file} is a folder; give a file name inside it.`);
  return new ParleyError('INVALID_INPUT', `${file} is ${describeNotRegular(kind)}, not a regular file; Parley never replaces one, even with --force. Choose another name.`);
}

/**
 * Writes `content` (text as UTF-8, or bytes such as a .zip) to exactly `target` with the atomic
 * writer, mode 0600. Without `force` an existing file is never replaced, even one that appears
 * between the check and the write; with `force` only a regular file is: a symbolic link, folder,
 * pipe or device there is refused. Temp files of an earlier interrupted export to the same name
 * are removed first; a failed write removes its own. Nothing is written anywhere else. Returns
 * the absolute path written.
 */
export async function writeExportFile(target: string, content: string | Uint8Array, options: WriteOptions = {}): Promise<string> {
  const fs = options.fs ?? nodeFs;
  if (!target || /[\\/]$/.test(target)) {
    throw new ParleyError('INVALID_INPUT', `"${target}" is not a file path; give a file name such as agent.json.`);
  }
  const file = path.resolve(target);
  const dir = path.dirname(file);
  const dirInfo = await fs.stat(dir).catch(() => null);
  if (dirInfo?.kind !== 'directory') {
    throw new ParleyError('INVALID_INPUT', `The folder ${dir} does not exist; create it or choose another location.`);
  }
  const existing = await fs.lstat(file).catch(() => null);
  if (existing && existing.kind !== 'file') throw notReplaceable(file, existing.kind);
  const conflict = () => new ParleyError('CONFLICT', `${file} already exists; choose another name or overwrite it (--force).`);
  if (existing && !options.force) throw conflict();
  await removeStaleTemps(fs, file, (options.now ?? Date.now)());
  try {
    await writeFileAtomic(fs, file, content, { mode: EXPORT_FILE_MODE, replace: options.force === true, keepDirOpen: false, replaceRegularOnly: true });
    return file;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') throw conflict();
    if (isNotRegularFile(error)) throw notReplaceable(file, error.kind);
    throw new ParleyError('SAVE_FAILED', `Could not write ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function invalid(message: string): never {
  throw new ParleyError('INVALID_INPUT', message);
}

/** An import file's text, refusing missing, huge, non-UTF-8 or binary files before anything parses them. */
export async function readImportFile(file: string, fs: FsLayer = nodeFs): Promise<string> {
  const read = await readTextFile(fs, file, MAX_FILE_BYTES).catch((error: unknown) =>
    invalid(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`),
  );
  switch (read.kind) {
    case 'missing':
      return invalid(`Cannot read ${file}: no such file.`);
    case 'not-a-file':
      return invalid(`${file} is not a file.`);
    case 'too-large':
      return invalid(`${file} is ${(read.size / 1024 / 1024).toFixed(1)} MB, larger than the ${MAX_FILE_MB} MB an agent file can be.`);
    case 'not-utf8':
      return invalid(`${file} is not a UTF-8 text file; choose an ElevenLabs agent JSON file or a Parley session file.`);
    case 'text':
      if (read.text.includes('\u0000')) invalid(`${file} is a binary file, not an agent JSON file.`);
      return read.text;
  }
}

/** A file the user named for upload (a knowledge-base document): its bytes, refusing missing, special or huge files. */
export async function readUploadFile(file: string, fs: FsLayer = nodeFs): Promise<Buffer> {
  const info = await fs.stat(file).catch(() => null);
  if (!info) return invalid(`Cannot read ${file}: no such file.`);
  if (info.kind !== 'file') return invalid(`${file} is not a file.`);
  if (info.size > MAX_FILE_BYTES) return invalid(`${file} is ${(info.size / 1024 / 1024).toFixed(1)} MB, larger than the ${MAX_FILE_MB} MB Parley uploads.`);
  return fs.readFile(file);
}
