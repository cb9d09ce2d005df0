import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Appends one line to a diagnostic log, creating its folder (0700) and file (0600) on first use and
 * rotating it to `<file>.1` once it is over `maxBytes`. Synchronous and best effort: a log that
 * cannot be written is dropped, never an error for the caller.
 */
export function appendLogLine(file: string, line: string, maxBytes: number): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    let size = 0;
    try {
      size = statSync(file).size;
    } catch {
      size = 0;
    }
    if (size > maxBytes) renameSync(file, `${file}.1`);
    appendFileSync(file, line.endsWith('\n') ? line : `${line}\n`, { encoding: 'utf8', mode: 0o600 });
  } catch {
    // A diagnostic aid only.
  }
}
