import path from 'node:path';
import { ParleyError } from '../../shared/errors';
import { MAX_FILE_BYTES, MAX_FILE_MB } from '../../shared/limits';
import { writeFileAtomic } from './atomic';
import { readTextFile } from './guarded-read';
import { errorCode, nodeFs, type FsLayer } from './layer';

/** Files the user names (an export's target, an import's source), outside the data folder. */

export interface WriteOptions {
  /** Replace an existing file (CLI --force, or the OS save dialog's own confirmation). */
  force?: boolean;
  fs?: FsLayer;
}

/**
 * Writes `content` (text as UTF-8, or bytes such as a .zip) to exactly `target` with the atomic writer; without `force` an
 * existing file is never replaced, even one that appears between the check and the write.
 * Nothing is written anywhere else. Returns the absolute path written.
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
  if (existing?.kind === 'directory') {
    throw new ParleyError('INVALID_INPUT', `${file} is a folder; give a file name inside it.`);
  }
  const conflict = () => new ParleyError('CONFLICT', `${file} already exists; choose another name or overwrite it (--force).`);
  if (existing && !options.force) throw conflict();
  try {
    await writeFileAtomic(fs, file, content, { mode: 0o644, replace: options.force === true, keepDirOpen: false });
    return file;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') throw conflict();
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
