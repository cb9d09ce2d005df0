import { randomUUID } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { ParleyError } from '../../shared/errors';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Recursively rebuilds objects with their keys in code-point order, dropping undefined values. */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonicalize(item)));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = value[key];
      if (v !== undefined) out[key] = canonicalize(v);
    }
    return out;
  }
  return value;
}

/**
 * The one JSON writer for exported files: sorted keys (the same spec always gives the same
 * bytes, whatever order its fields were filled in), 2-space indent, trailing newline.
 */
export function toStableJson(value: unknown): string {
  return `${JSON.stringify(canonicalize(value), null, 2)}\n`;
}

/** Normalises text files the same way: LF line ends, exactly one trailing newline. */
export function toTextFile(text: string): string {
  return `${text.replace(/\r\n?/g, '\n').replace(/\s+$/, '')}\n`;
}

export interface WriteOptions {
  /** Replace an existing file (CLI --force, or the OS save dialog's own confirmation). */
  force?: boolean;
}

function errno(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/**
 * Writes `content` (UTF-8) to exactly `target`: a temp file in the same folder, fsync, then a
 * rename (or a hard link when overwriting is not allowed, so an existing file is never replaced
 * even if it appears between our check and the write). Nothing is written anywhere else.
 * Returns the absolute path written.
 */
export async function writeFileAtomic(target: string, content: string, options: WriteOptions = {}): Promise<string> {
  if (!target || /[\\/]$/.test(target)) {
    throw new ParleyError('INVALID_INPUT', `"${target}" is not a file path; give a file name such as agent.json.`);
  }
  const file = path.resolve(target);
  const dir = path.dirname(file);
  const dirStat = await fs.stat(dir).catch(() => null);
  if (!dirStat?.isDirectory()) {
    throw new ParleyError('INVALID_INPUT', `The folder ${dir} does not exist; create it or choose another location.`);
  }
  const existing = await fs.lstat(file).catch(() => null);
  if (existing?.isDirectory()) {
    throw new ParleyError('INVALID_INPUT', `${file} is a folder; give a file name inside it.`);
  }
  if (existing && !options.force) {
    throw new ParleyError('CONFLICT', `${file} already exists; choose another name or overwrite it (--force).`);
  }

  const temp = path.join(dir, `.${path.basename(file)}.${randomUUID()}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (options.force) {
      await fs.rename(temp, file);
    } else {
      try {
        await fs.link(temp, file);
      } catch (error) {
        if (errno(error) === 'EEXIST') throw error;
        // Filesystems without hard links (FAT, some network shares): fall back to a checked rename.
        if (await fs.lstat(file).catch(() => null)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
        await fs.rename(temp, file);
      }
    }
    return file;
  } catch (error) {
    if (errno(error) === 'EEXIST') {
      throw new ParleyError('CONFLICT', `${file} already exists; choose another name or overwrite it (--force).`);
    }
    throw new ParleyError('SAVE_FAILED', `Could not write ${file}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}
