import type { Session, SessionSummary, QuarantinedFile } from '../../shared/session';
import type { FsLayer } from '../fs/layer';

export interface ListQuery {
  search?: string;
  offset?: number;
  limit?: number;
}

export interface ListResult {
  items: SessionSummary[];
  total: number;
  quarantined: QuarantinedFile[];
}

/**
 * Sessions on disk: one JSON file per session (plus its journal between checkpoints) and an index.
 * Every save raises the session's revision, stored beside it in the file and in each journal
 * line, so that recovery orders versions by revision and never by a clock. See
 * docs/ARCHITECTURE.md, "Persistence rules".
 */
export interface SessionStore {
  /** Persists a new session (the caller builds it); resolves once it is durably on disk. */
  create(session: Session): Promise<Session>;
  /** Throws ParleyError NOT_FOUND for an unknown id, INVALID_INPUT for a malformed one. */
  get(id: string): Promise<Session>;
  /** Fails as get() would, without copying a session that is in memory (a turn's first check). */
  check(id: string): Promise<void>;
  /**
   * Saves durably like save(), by appending what changed (new messages, the state without its
   * messages) to the session's journal instead of rewriting its file; the store rewrites the
   * file shortly after (and at flush). For a turn's saves. Failures are reported as by save().
   */
  journal(session: Session): Promise<void>;
  /** Saves the whole session atomically; saves to one session never interleave. */
  save(session: Session): Promise<void>;
  list(query?: ListQuery): Promise<ListResult>;
  delete(id: string): Promise<void>;
  /** Waits for every queued write. */
  flush(): Promise<void>;
  /** flush(), then removes the journals kept empty for the next turn: the folder is left with session files only. */
  close(): Promise<void>;

  /** Undoes `delete` (the file comes back from the trash folder). NOT_FOUND if it is not there. */
  restore(id: string): Promise<Session>;
  /** The session file's bytes as stored (after any queued write for it). */
  exportRaw(id: string): Promise<string>;
  /** Validates (and migrates) a raw session file and adds it; a clashing id gets a new one. */
  importRaw(text: string): Promise<Session>;
  /** True for a session written by a newer Parley: it can be read, never saved. */
  isReadOnly(id: string): boolean;
  /** Things the user should be told once (read-only files, a rebuilt index…). */
  notices(): string[];
  /** Re-checks every indexed file against the disk and repairs stale entries. */
  verify(): Promise<{ repaired: number; removed: number }>;
}

export interface SessionStoreOptions {
  dataDir: string;
  clock?: () => Date;
  /** Filesystem calls; tests inject faults here. */
  fs?: FsLayer;
  /** Ids for clashing imports. */
  newId?: () => string;
  /** Check every indexed file against the disk in the background after opening (default true). */
  verifyOnOpen?: boolean;
  /** How long after a journaled save the whole file is rewritten (tests shorten it). */
  checkpointMs?: number;
  /**
   * Opened by something that only reads (CLI show/list/export): nothing is written, created,
   * moved or removed, not even by repairs; every write is refused (READ_ONLY). A missing data
   * folder is an error instead of being created.
   */
  readOnly?: boolean;
  /**
   * Remove temp files left by a crash mid-save (only those older than a minute: a younger one may
   * belong to a save in progress). Only for a store whose process holds the data folder's lock.
   */
  sweepTemps?: boolean;
}
