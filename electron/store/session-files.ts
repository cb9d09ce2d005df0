import { join } from 'node:path';
import { Low } from 'lowdb';
import { MAX_FILE_BYTES, MAX_FILE_MB } from '../../shared/limits';
import type { Session } from '../../shared/session';
import { AtomicJsonFile, type FileStamp } from '../fs/atomic';
import { readTextFile } from '../fs/guarded-read';
import { isNotFound, isNotRegularFile, type FsLayer } from '../fs/layer';
import { journalLine, replayJournal } from './journal';
import { decodeSessionText, type Decoded } from './migrations';
import { notRegularReason } from './quarantine';
import { saveFailed } from './save-errors';
import type { SetAside } from './session-index';
import { SessionWriter, type Revised } from './session-writer';
import { markChecked } from './checked-messages';
import { KeyedQueue } from '../services/keyed-queue';

const CACHE_SIZE = 16;

/** What a session file holds: the session and the revision that orders versions on disk. */
type StoredSession = Session & { revision: number };

/** A session's file as a lowdb document over the atomic adapter; `data` is set for the length of a write (the cache holds the session). */
interface SessionDocument {
  db: Low<StoredSession | null>;
  file: AtomicJsonFile<StoredSession | null>;
}

export interface FileRead {
  decoded: Decoded;
  size: number;
  mtimeMs: number;
}

export interface SessionFilesDeps {
  fs: FsLayer;
  sessionsDir: string;
  /** How long after a journaled save the whole file is rewritten. */
  checkpointMs: number;
  /** Moves a file aside with a reason (the store's quarantine). */
  setAside: SetAside;
  /** Reads a session not read yet in this run, so that its revision on disk is known before the next save. */
  load: (key: string) => Promise<unknown>;
  /** After a whole-file write: the index records the file. */
  onWritten: (session: Session, stamp: FileStamp) => Promise<void>;
  /** After a journal append: list and search show the new state at once. */
  onJournaled: (session: Session) => void;
  /** A deferred rewrite failed; no caller awaits it. */
  onDeferredError: (key: string, error: unknown) => void;
}

/**
 * The session files and their journals: reading a session (file plus journal), the whole-file
 * writes (one queue per session, atomic), the journal appends of a turn's saves and their fold
 * into the file, and the revision counter that orders versions on disk. Keeps the few most
 * recently used sessions in memory.
 */
export class SessionFiles {
  private readonly writers = new Map<string, SessionWriter>();
  /**
   * Per session with a journal: the message ids it holds beyond the file and the newest revision
   * it records. The journal is removed once a full write holds both.
   */
  private readonly journaled = new Map<string, { ids: Set<string>; revision: number }>();
  /** The newest revision of each session this process has read, saved or queued. */
  private readonly revisions = new Map<string, number>();
  /** How many leading messages of each session are durable (in its file or its journal). */
  private readonly durable = new Map<string, number>();
  private readonly cache = new Map<string, Session>();
  private readonly documents = new Map<string, SessionDocument>();
  /**
   * Journals a fold emptied rather than removed: the next turn appends to an existing file, which
   * costs a fifth of creating one (measured on ext4: 0.13 ms against 1.0 ms with fdatasync).
   * Removed at close and with their session; an empty one left by a crash is removed at the next start.
   */
  private readonly emptied = new Set<string>();
  /** Per session, its journal's appends and truncation in order: a fold never empties a journal mid-append. */
  private readonly journalOps = new KeyedQueue();

  constructor(private readonly deps: SessionFilesDeps) {}

  sessionPath(key: string): string {
    return join(this.deps.sessionsDir, `${key}.json`);
  }

  journalPath(key: string): string {
    return join(this.deps.sessionsDir, `${key}.journal`);
  }

  /** The newest version in memory (queued for writing, or recently used), or undefined. */
  latest(key: string): Session | undefined {
    return this.writers.get(key)?.pending?.session ?? this.cache.get(key);
  }

  isWriting(key: string): boolean {
    return Boolean(this.writers.get(key)?.pending);
  }

  hasJournal(key: string): boolean {
    return this.journaled.has(key);
  }

  /** The session file, decoded; null when there is none. A link, directory or device is an invalid file. */
  async read(key: string): Promise<FileRead | null> {
    const read = await readTextFile(this.deps.fs, this.sessionPath(key), MAX_FILE_BYTES, { noFollow: true });
    if (read.kind === 'missing') return null;
    const { size, mtimeMs } = read;
    const invalid = (reason: string) => ({ decoded: { kind: 'invalid' as const, reason }, size, mtimeMs });
    switch (read.kind) {
      case 'not-a-file':
        return invalid(notRegularReason(read.what, 'session file'));
      case 'too-large':
        return invalid(`the file is too large to be a session (${Math.round(size / 1048576)} MB, the limit is ${MAX_FILE_MB} MB)`);
      case 'not-utf8':
        return invalid('the file is not valid UTF-8 text');
      case 'text':
        return { decoded: decodeSessionText(read.text), size, mtimeMs };
    }
  }

  /** A session read from its file, with what its journal adds; remembered as the newest version. */
  async open(key: string, fromFile: Session, fileRevision: number | undefined): Promise<Session> {
    const { session, revision } = await this.withJournal(key, fromFile, fileRevision);
    this.revisions.set(key, Math.max(this.revisions.get(key) ?? 0, revision));
    this.remember(key, session);
    if (!this.isWriting(key)) this.durable.set(key, session.messages.length);
    return session;
  }

  create(session: Session): Promise<void> {
    this.revisions.set(session.id, 1);
    return this.writerFor(session.id).save({ session, revision: 1 });
  }

  async save(session: Session): Promise<void> {
    const revision = await this.nextRevision(session.id);
    await this.writerFor(session.id).save({ session, revision });
  }

  /**
   * Makes a session durable by appending what changed to its journal (one small fdatasync)
   * instead of rewriting the whole file: the messages not yet on disk and the session's state
   * without its messages. The file is rewritten (and the journal folded in) shortly after, off
   * the turn's path, or at flush. False when only a whole-file save can hold this version (it is
   * not a continuation of what is durable, or the journal cannot be written): the caller saves.
   */
  journal(s: Session): Promise<boolean> {
    return this.journalOps.run(s.id, () => this.appendToJournal(s));
  }

  private async appendToJournal(s: Session): Promise<boolean> {
    const key = s.id;
    const onDisk = this.durable.get(key);
    const cached = this.cache.get(key);
    // Only a continuation of what is durable can be journaled: same leading messages, more after.
    if (onDisk === undefined || onDisk > s.messages.length || (onDisk > 0 && cached?.messages[onDisk - 1]?.id !== s.messages[onDisk - 1]?.id)) {
      return false;
    }
    const { messages: _all, ...state } = s;
    const added = s.messages.slice(onDisk);
    const revision = await this.nextRevision(key);
    try {
      await this.deps.fs.appendDurable(this.journalPath(key), journalLine(added, state, revision));
    } catch (error) {
      // Planted there (a link would send the conversation outside the data folder): moved aside.
      if (isNotRegularFile(error)) await this.deps.setAside(this.journalPath(key), notRegularReason(error.kind, 'session journal'));
      return false;
    }
    this.emptied.delete(key);
    const j = this.journaled.get(key) ?? { ids: new Set<string>(), revision };
    for (const m of added) j.ids.add(m.id);
    j.revision = Math.max(j.revision, revision);
    this.journaled.set(key, j);
    this.durable.set(key, s.messages.length);
    this.remember(key, s);
    this.deps.onJournaled(s);
    this.writerFor(key).saveSoon({ session: s, revision }, this.deps.checkpointMs);
    return true;
  }

  /**
   * Before a session's file goes to the trash: its queued write is finished (a failing one must not
   * block the delete) and journaled messages are folded in, since the trash keeps whole files.
   */
  async settleForTrash(key: string): Promise<void> {
    const writer = this.writers.get(key);
    this.writers.delete(key);
    await writer?.flush().catch(() => undefined);
    const cached = this.cache.get(key);
    if (this.journaled.has(key) && cached) await this.write({ session: cached, revision: this.revisions.get(key) ?? 0 }).catch(() => undefined);
    if (this.emptied.has(key)) await this.removeEmptied(key);
    this.documents.delete(key);
  }

  /** At close, once everything is written: the journals kept empty for the next turn go. */
  async removeEmptiedJournals(): Promise<void> {
    for (const key of [...this.emptied]) await this.removeEmptied(key);
  }

  private removeEmptied(key: string): Promise<void> {
    return this.journalOps.run(key, async () => {
      if (!this.emptied.delete(key)) return; // appended to since
      await this.deps.fs.unlink(this.journalPath(key)).catch(() => undefined);
    });
  }


  /** The session is gone from the folder (moved to the trash). */
  forget(key: string): void {
    this.cache.delete(key);
    this.revisions.delete(key);
  }

  flush(key: string): Promise<void> {
    return this.writers.get(key)?.flush() ?? Promise.resolve();
  }

  async flushAll(): Promise<void> {
    const results = await Promise.allSettled([...this.writers.values()].map((w) => w.flush()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private remember(key: string, session: Session): void {
    markChecked(session.messages); // checked on the way in: read from a file, or saved through the store's check
    this.cache.delete(key);
    this.cache.set(key, session);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
  }

  private writerFor(key: string): SessionWriter {
    let w = this.writers.get(key);
    if (!w) this.writers.set(key, (w = new SessionWriter((version) => this.write(version), (error) => this.deps.onDeferredError(key, error))));
    return w;
  }

  /** The revision for the next saved version of a session: one past the newest read, saved or queued. */
  private async nextRevision(key: string): Promise<number> {
    if (!this.revisions.has(key)) await this.deps.load(key).catch(() => undefined); // learns the revision on disk
    const next = (this.revisions.get(key) ?? 0) + 1;
    this.revisions.set(key, next);
    return next;
  }

  private async write({ session, revision }: Revised): Promise<void> {
    const key = session.id;
    const { db, file } = this.documentFor(key);
    db.data = { ...session, revision };
    try {
      await db.write();
    } catch (error) {
      throw saveFailed(error, `session "${session.title || key}"`, this.deps.sessionsDir);
    } finally {
      db.data = null;
    }
    this.remember(key, session);
    await this.foldedJournal(key, session, revision);
    const stamp = file.lastWritten ?? (await this.deps.fs.stat(file.path).catch(() => ({ size: 0, mtimeMs: 0 })));
    await this.deps.onWritten(session, stamp);
  }

  private documentFor(key: string): SessionDocument {
    let doc = this.documents.get(key);
    if (!doc) {
      const file = new AtomicJsonFile<StoredSession | null>(this.deps.fs, this.sessionPath(key));
      this.documents.set(key, (doc = { db: new Low(file, null), file }));
    }
    return doc;
  }

  /**
   * The file now holds everything the journal does: the journal is emptied (a leftover line
   * replays harmlessly). After any append in flight, so that its entry is never cut off.
   */
  private foldedJournal(key: string, written: Session, revision: number): Promise<void> {
    return this.journalOps.run(key, async () => {
      const j = this.journaled.get(key);
      if (j && revision < j.revision) return; // an older version finished writing after a newer journal entry
      this.durable.set(key, written.messages.length);
      if (!j) return;
      const inFile = new Set(written.messages.map((m) => m.id));
      for (const id of j.ids) if (!inFile.has(id)) return;
      this.journaled.delete(key);
      await this.deps.fs.truncate(this.journalPath(key)).then(
        () => this.emptied.add(key),
        () => undefined,
      );
    });
  }

  /** A session file plus what its journal adds: messages, and the newest state (spec, stage, …). */
  private async withJournal(key: string, session: Session, fileRevision: number | undefined): Promise<Revised> {
    let text: string;
    try {
      text = (await this.deps.fs.readFile(this.journalPath(key), { noFollow: true })).toString('utf8');
    } catch (error) {
      if (isNotRegularFile(error)) await this.deps.setAside(this.journalPath(key), notRegularReason(error.kind, 'session journal'));
      else if (!isNotFound(error)) throw error;
      return { session, revision: fileRevision ?? 0 };
    }
    const replayed = replayJournal(session, text, fileRevision);
    const revision = replayed.revision ?? 0;
    if (replayed.session !== session) this.journaled.set(key, { ids: replayed.added, revision });
    return { session: replayed.session, revision };
  }
}
