import { ParleyError } from '../../shared/errors';
import { errorCode } from '../fs/layer';

/**
 * Turns a failed write into a message a person can act on. It names the folder, says what to do,
 * and promises what is true: the previous file is unchanged and the edit is still in memory.
 */
export function saveFailed(
  error: unknown,
  what: string,
  dir: string,
  kept = 'The previous version on disk is unchanged and your latest changes are kept in memory; they are saved when you retry.',
): ParleyError {
  const code = errorCode(error);
  let cause: string;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      cause = `the disk is full (${code}) at ${dir}. Free some space, then retry.`;
      break;
    case 'EACCES':
    case 'EPERM':
      cause = `Parley is not allowed to write to ${dir} (${code}). Check that folder's permissions, or start Parley with another data folder (--data-dir or PARLEY_DATA_DIR), then retry.`;
      break;
    case 'EROFS':
      cause = `${dir} is on a read-only filesystem (EROFS). Choose a writable data folder (--data-dir or PARLEY_DATA_DIR), then retry.`;
      break;
    case 'EMFILE':
    case 'ENFILE':
      cause = `too many files are open (${code}). Close other programs, then retry.`;
      break;
    case undefined:
      // Not an OS error: the data could not be turned into the file (JSON), so the disk is not the cause.
      cause = `it could not be written as JSON (${error instanceof Error ? error.message : String(error)}); the disk is not the cause. Retrying will not help; please report this.`;
      break;
    default:
      cause = `the file system refused the write (${code}) in ${dir}. Retry; if it keeps failing, check the disk.`;
  }
  return new ParleyError('SAVE_FAILED', `Could not save ${what}: ${cause} ${kept}`);
}
