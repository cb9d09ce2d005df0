import { closeSync, lstatSync, mkdirSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { openOwnForAppend } from './layer';

/**
 * Appends one line to a diagnostic log, creating its folder (0700) and file (0600) on first use and
 * rotating it to `<file>.1` once it is over `maxBytes`. Synchronous and best effort: a log that
 * cannot be written is dropped, never an error for the caller. Like every file of the data
 * folder it is never written through a link: a link at the file or at its folder drops the line.
 */
export function appendLogLine(file: string, line: string, maxBytes: number): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!lstatSync(dirname(file)).isDirectory()) return;
    let size = 0;
    try {
      const st = lstatSync(file);
      size = st.isFile() ? st.size : 0;
    } catch {
      size = 0;
    }
    if (size > maxBytes) renameSync(file, `${file}.1`);
    const fd = openOwnForAppend(file);
    try {
      writeSync(fd, line.endsWith('\n') ? line : `${line}\n`, null, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    // A diagnostic aid only.
  }
}
