/**
 * The largest session or agent file Parley reads: its own session files, a session file it
 * exported, and any file it is asked to import. A long chat makes a session of a few hundred KB;
 * a bigger file is damaged or not ours, and is refused before it is read into memory.
 */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export const MAX_FILE_MB = MAX_FILE_BYTES / 1024 / 1024;
