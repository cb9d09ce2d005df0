/**
 * Size limits, in one place. Each is far beyond what a real agent spec or conversation reaches,
 * and low enough that anything within them can be validated, saved (JSON.stringify never runs
 * out of stack or string length), sent to a provider and shown.
 */

/**
 * The largest session or agent file Parley reads: its own session files, a session file it
 * exported, and any file it is asked to import. A long chat makes a session of a few hundred KB;
 * a bigger file is damaged or not ours, and is refused before it is read into memory.
 */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export const MAX_FILE_MB = MAX_FILE_BYTES / 1024 / 1024;

/**
 * The largest WebSocket frame the preview accepts, in bytes: a sessions:import request carrying a
 * file of MAX_FILE_BYTES. Escaped as a JSON string, a JSON file takes at most 2 bytes a byte: only
 * quotes, backslashes and line breaks are escaped (2 bytes each), a JSON text holds no other control
 * characters, and UTF-8 passes through unescaped.
 */
export const MAX_PREVIEW_FRAME_BYTES = 2 * MAX_FILE_BYTES + 64 * 1024;

/** Megabytes, for messages ("128 MB"). */
export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
