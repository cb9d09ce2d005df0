import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ParleyError, describeIssues } from '../../shared/errors';
import { isSessionId } from '../../shared/ids';
import { MAX_FILE_BYTES, MAX_FILE_MB } from '../../shared/limits';
import { Session, type SessionSummary } from '../../shared/session';
import { serialize } from '../fs/atomic';
import { isNotFound, isNotRegularFile, nodeFs, type FsLayer } from '../fs/layer';
import { queryTerms, searchDigest, SearchDigests, summarize } from './digest';
import { decodeSessionText } from './migrations';
import { Quarantine, checkRealDirectory } from './quarantine';
import { checkSessionFolders, inBatches, journalsToReplay, scanSessionsFolder } from './sessions-folder';
import { saveFailed } from './save-errors';
import { checkSession, copySession } from './checked-messages';
import { SessionFiles } from './session-files';
import { SessionIndex, type IndexEntry } from './session-index';
import type { ListQuery, ListResult, SessionStore, SessionStoreOptions } from './types';

export type { SessionStoreOptions } from './types';

/** How long after a journaled save the whole file is rewritten (coalescing a burst of turns). */
const CHECKPOINT_MS = 1500;
export const DEFAULT_PAGE_SIZE = 100;
const IO_CONCURRENCY = 16;

/** Validates before anything touches a path: only a UUID ever becomes part of a file name. */
export function checkSessionId(id: unknown): string {
  if (!isSessionId(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 80)) : typeof id;
    throw new ParleyError('INVALID_INPUT', `${shown} is not a session id; a session id is a UUID (e.g. 3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f).`);
  }
  return id.toLowerCase();
}

function entryFor(session: Session, size: number, mtimeMs: number, isReadOnly = false): IndexEntry {
  return { ...summarize(session, size), id: session.id.toLowerCase(), mtimeMs, ...(isReadOnly ? { readOnly: true } : {}) };
}

function validate(session: unknown): Session {
  const parsed = checkSession(session);
  if (!parsed.success) {
    if (typeof session === 'object' && session !== null && 'id' in session) checkSessionId(session.id);
    throw new ParleyError('INVALID_INPUT', `The session is not valid: ${describeIssues(parsed.error)}`);
  }
  return { ...parsed.data, id: checkSessionId(parsed.data.id) };
}

/**
 * The session store: the files (SessionFiles), the list's index (SessionIndex), the search
 * digests (SearchDigests) and the quarantine, kept consistent with each other. Opening loads the
 * index (or rebuilds it from the files) and reconciles it with the folder.
 */
class Sessions implements SessionStore {
  private readonly fs: FsLayer;
  private readonly clock: () => Date;
  private readonly newId: () => string;
  private readonly dataDir: string;
  private readonly sessionsDir: string;
  private readonly trashDir: string;
  private readonly openedReadOnly: boolean;
  private readonly notes: string[] = [];
  private readonly digests = new SearchDigests();
  private readonly files: SessionFiles;
  /** Sessions written by a newer Parley (schema version, 0 when only the index says so). */
  private readonly newer = new Map<string, number>();
  /** Created in this run (possibly not yet on disk) / being moved to the trash right now. */
  private readonly live = new Set<string>();
  private readonly deleting = new Set<string>();
  private quarantined!: Quarantine;
  private index!: SessionIndex;
  private verifying: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: SessionStoreOptions) {
    this.fs = opts.fs ?? nodeFs;
    this.clock = opts.clock ?? (() => new Date());
    this.newId = opts.newId ?? randomUUID;
    this.dataDir = opts.dataDir;
    this.sessionsDir = join(opts.dataDir, 'sessions');
    this.trashDir = join(opts.dataDir, 'trash');
    this.openedReadOnly = opts.readOnly === true;
    this.files = new SessionFiles({
      fs: this.fs,
      sessionsDir: this.sessionsDir,
      checkpointMs: opts.checkpointMs ?? CHECKPOINT_MS,
      setAside: this.quarantine,
      load: (key) => this.get(key),
      onWritten: (session, stamp) => this.index.put(entryFor(session, stamp.size, stamp.mtimeMs), this.digests.digestFor(session.id, session)),
      onJournaled: (session) => {
        const previous = this.index.get(session.id);
        this.index.show(entryFor(session, previous?.size ?? 0, previous?.mtimeMs ?? 0), () => this.digests.digestFor(session.id, session));
      },
      onDeferredError: (key, error) => this.deferredFailed(key, error),
    });
  }

  /** Loads the index (or rebuilds it from the files) and reconciles it with the sessions folder. */
  async open(): Promise<void> {
    await checkSessionFolders(this.fs, this.dataDir, this.openedReadOnly);
    this.quarantined = await Quarantine.load(this.fs, this.dataDir, this.clock);
    const sweepTemps = this.opts.sweepTemps === true && !this.openedReadOnly;
    // Independent reads: the folder listing waits on the disk while the index is parsed.
    const [loaded, { keys, leftJournals }] = await Promise.all([
      SessionIndex.load(this.fs, this.dataDir, this.quarantine, { readOnly: this.openedReadOnly }),
      scanSessionsFolder(this.fs, this.sessionsDir, { sweepTemps, clock: this.clock }),
    ]);
    this.index = loaded.index;
    if (loaded.state !== 'ok') {
      if (loaded.state === 'corrupt') this.notes.push('The session index was damaged; it was rebuilt from the session files.');
      const rebuilt: Array<{ entry: IndexEntry; digest: string }> = [];
      await inBatches(keys, IO_CONCURRENCY, async (key) => {
        const r = await this.reindex(key);
        if (r) rebuilt.push(r);
      });
      await this.index.replaceAll(rebuilt);
    } else {
      const unindexed = keys.filter((key) => !this.index.has(key));
      // Every indexed session still has its file unless the folder holds fewer of them (the usual case, checked without a set).
      if (keys.length - unindexed.length < this.index.size) {
        const present = new Set(keys);
        for (const key of this.index.ids()) if (!present.has(key)) await this.index.remove(key);
      }
      await inBatches(unindexed, IO_CONCURRENCY, async (key) => {
        const r = await this.reindex(key);
        if (r) await this.index.put(r.entry, r.digest);
      });
      for (const key of this.index.readOnlyIds()) this.newer.set(key, 0);
    }
    if (this.opts.verifyOnOpen !== false) this.verifying = this.verify().catch(() => undefined);
    // The index describes files; a left-over journal's newer title, stage and messages are shown
    // in list and search too (in memory; the files are not written by merely opening the store).
    for (const key of await journalsToReplay(this.fs, this.sessionsDir, leftJournals, this.openedReadOnly)) {
      const entry = this.index.get(key);
      if (!entry) continue;
      const session = await this.get(key).catch(() => null);
      if (session) this.index.show(entryFor(session, entry.size, entry.mtimeMs, entry.readOnly), searchDigest(session));
    }
  }

  /** Moves a bad file of the data folder aside with a note saying why; never deletes it. Read-only: only says so. */
  private readonly quarantine = async (path: string, reason: string): Promise<void> => {
    const notice = this.openedReadOnly ? this.quarantined.note(path, reason) : await this.quarantined.move(path, reason);
    if (notice) this.notes.push(notice);
  };

  private refuseIfReadOnly(what: string): void {
    if (this.openedReadOnly) throw new ParleyError('READ_ONLY', `The sessions were opened read-only (by a command that only reads); ${what} was not saved.`);
  }

  private futureNotice(key: string, version: number): void {
    if (this.newer.has(key)) return;
    this.newer.set(key, version);
    this.notes.push(`Session ${key} was saved by a newer version of Parley (schema ${version}); it is open read-only and will not be changed.`);
  }

  private ensureWritable(key: string): void {
    const version = this.newer.get(key);
    if (version === undefined) return;
    throw new ParleyError(
      'READ_ONLY',
      `This session was saved by a newer version of Parley${version ? ` (schema ${version})` : ''}; it is open read-only so that version's data is not lost. Update Parley to edit it, or duplicate it as a template.`,
    );
  }

  /** A deferred rewrite failed (disk full, …): what the user typed is safe in the journal; say so once. */
  private deferredFailed(key: string, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const notice = `Session ${key} could not be rewritten (${reason}); everything is kept in its journal and Parley retries on the next change.`;
    if (this.notes.at(-1) !== notice) this.notes.push(notice);
  }

  private known(key: string): boolean {
    return !this.deleting.has(key) && (this.index.has(key) || this.live.has(key));
  }

  /** Reads one file and describes it for the index: indexed, read-only, quarantined or gone. */
  private async reindex(key: string): Promise<{ entry: IndexEntry; digest: string } | null> {
    const read = await this.files.read(key);
    if (!read) return null;
    const { decoded, size, mtimeMs } = read;
    if (decoded.kind === 'ok') return { entry: entryFor(decoded.session, size, mtimeMs), digest: searchDigest(decoded.session) };
    if (decoded.kind === 'invalid') {
      await this.quarantine(this.files.sessionPath(key), decoded.reason);
      return null;
    }
    this.futureNotice(key, decoded.version);
    const { raw, session: view } = decoded;
    if (view) return { entry: entryFor(view, size, mtimeMs, true), digest: searchDigest(view) };
    const title = typeof raw.title === 'string' ? raw.title : '(saved by a newer Parley)';
    const updatedAt = typeof raw.updatedAt === 'string' ? raw.updatedAt : new Date(mtimeMs).toISOString();
    return { entry: { id: key, title, stage: 'INITIAL', agentType: null, updatedAt, size, mtimeMs, readOnly: true }, digest: title.toLowerCase() };
  }

  async verify(): Promise<{ repaired: number; removed: number }> {
    let repaired = 0;
    let removed = 0;
    const run = inBatches(this.index.ids(), 8, async (key) => {
      if (this.files.isWriting(key)) return; // being written by us right now
      const entry = this.index.get(key);
      if (!entry) return;
      const st = await this.fs.lstat(this.files.sessionPath(key)).catch((error: unknown) => (isNotFound(error) ? null : undefined));
      if (st === undefined || this.files.isWriting(key)) return;
      if (st === null) {
        await this.index.remove(key);
        removed++;
        return;
      }
      if (st.size === entry.size && st.mtimeMs === entry.mtimeMs) return;
      const r = await this.reindex(key);
      if (r) await this.index.put(r.entry, r.digest);
      else await this.index.remove(key);
      repaired++;
    });
    this.verifying = run.catch(() => undefined);
    await run;
    return { repaired, removed };
  }

  async check(id: string): Promise<void> {
    if (!this.files.latest(checkSessionId(id))) await this.get(id);
  }

  async get(id: string): Promise<Session> {
    const key = checkSessionId(id);
    const latest = this.files.latest(key);
    if (latest) return copySession(latest);
    const read = await this.files.read(key);
    if (!read) {
      if (this.index.has(key)) await this.index.remove(key);
      throw new ParleyError('NOT_FOUND', `There is no session ${key}. It may have been deleted; the session list shows what exists.`);
    }
    const { decoded } = read;
    if (decoded.kind === 'invalid') {
      await this.quarantine(this.files.sessionPath(key), decoded.reason);
      await this.index.remove(key);
      const where = this.openedReadOnly ? 'it will be moved to the quarantine folder when Parley next opens' : 'the file was moved to the quarantine folder in';
      throw new ParleyError('NOT_FOUND', `Session ${key} could not be read (${decoded.reason}); ${where} ${this.dataDir}.`);
    }
    if (decoded.kind === 'future') {
      this.futureNotice(key, decoded.version);
      if (!decoded.session) {
        throw new ParleyError('READ_ONLY', `Session ${key} was saved by a newer version of Parley (schema ${decoded.version}) and cannot be shown by this one. Update Parley to open it.`);
      }
      return structuredClone(decoded.session);
    }
    return copySession(await this.files.open(key, decoded.session, decoded.revision));
  }

  async create(session: Session): Promise<Session> {
    this.refuseIfReadOnly('the new session');
    const s = validate(session);
    if (this.known(s.id) || (await this.files.read(s.id).catch(() => null))) {
      throw new ParleyError('CONFLICT', `A session with id ${s.id} already exists.`);
    }
    this.live.add(s.id);
    await this.files.create(s);
    return copySession(s);
  }

  /** A session that exists and may be written: validated, known, not from a newer Parley. */
  private writable(session: Session, what: string): Session {
    this.refuseIfReadOnly(what);
    const s = validate(session);
    if (!this.known(s.id)) throw new ParleyError('NOT_FOUND', `There is no session ${s.id} to save; it may have been deleted.`);
    this.ensureWritable(s.id);
    return s;
  }

  async save(session: Session): Promise<void> {
    await this.files.save(this.writable(session, 'the change'));
  }

  async journal(session: Session): Promise<void> {
    const s = this.writable(session, 'the turn');
    // Anything the journal cannot hold takes the full, atomic path, which also reports failures
    // (SAVE_FAILED) and keeps the session in memory.
    if (!(await this.files.journal(s))) await this.files.save(s);
  }

  async list(query: ListQuery = {}): Promise<ListResult> {
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = Math.max(0, Math.floor(query.limit ?? DEFAULT_PAGE_SIZE));
    let entries = this.index.all();
    const terms = query.search ? queryTerms(query.search) : [];
    if (terms.length > 0) {
      const hits = await this.index.search(terms, async (key) => (await this.reindex(key))?.digest ?? null);
      entries = entries.filter((e) => hits.has(e.id));
    }
    const items: SessionSummary[] = entries.slice(offset, offset + limit).map((e) => ({
      id: e.id,
      title: e.title,
      stage: e.stage,
      agentType: e.agentType,
      updatedAt: e.updatedAt,
      size: e.size,
    }));
    return { items, total: entries.length, quarantined: [...this.quarantined.entries] };
  }

  async delete(id: string): Promise<void> {
    this.refuseIfReadOnly('the deletion');
    const key = checkSessionId(id);
    if (!this.known(key)) throw new ParleyError('NOT_FOUND', `There is no session ${key} to delete.`);
    this.deleting.add(key);
    try {
      await this.files.settleForTrash(key);
      await this.fs.mkdir(this.trashDir);
      await checkRealDirectory(this.fs, this.trashDir, this.dataDir);
      try {
        await this.fs.rename(this.files.sessionPath(key), join(this.trashDir, `${key}.json`));
      } catch (error) {
        if (!isNotFound(error)) throw saveFailed(error, `the deletion of session ${key}`, this.dataDir);
      }
      this.files.forget(key);
      this.digests.forget(key);
      this.newer.delete(key);
      this.live.delete(key);
      await this.index.remove(key);
    } finally {
      this.deleting.delete(key);
    }
  }

  async restore(id: string): Promise<Session> {
    this.refuseIfReadOnly('the restore');
    const key = checkSessionId(id);
    if (this.known(key)) throw new ParleyError('CONFLICT', `Session ${key} already exists; there is nothing to restore.`);
    try {
      await this.fs.rename(join(this.trashDir, `${key}.json`), this.files.sessionPath(key));
    } catch (error) {
      if (isNotFound(error)) throw new ParleyError('NOT_FOUND', `Session ${key} is not in the trash.`);
      throw saveFailed(error, `the restored session ${key}`, this.dataDir);
    }
    const r = await this.reindex(key);
    if (!r) throw new ParleyError('NOT_FOUND', `Session ${key} could not be restored: its file is not a valid session.`);
    await this.index.put(r.entry, r.digest);
    return this.get(key);
  }

  async exportRaw(id: string): Promise<string> {
    const key = checkSessionId(id);
    await this.files.flush(key);
    // Messages still in the journal are part of the session: export what get() shows.
    const session = this.known(key) ? await this.get(key).catch(() => null) : null;
    if (session && this.files.hasJournal(key)) return serialize(session);
    try {
      return (await this.fs.readFile(this.files.sessionPath(key), { noFollow: true })).toString('utf8');
    } catch (error) {
      if (isNotFound(error) || isNotRegularFile(error)) throw new ParleyError('NOT_FOUND', `There is no session ${key} to export.`);
      throw error;
    }
  }

  async importRaw(text: string): Promise<Session> {
    if (Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) {
      throw new ParleyError('INVALID_INPUT', `That file is too large to be a Parley session (over ${MAX_FILE_MB} MB).`);
    }
    const decoded = decodeSessionText(text);
    if (decoded.kind === 'invalid') throw new ParleyError('INVALID_INPUT', `That file is not a Parley session: ${decoded.reason}.`);
    if (decoded.kind === 'future') {
      throw new ParleyError('INVALID_INPUT', `That session was saved by a newer version of Parley (schema ${decoded.version}); update Parley to import it.`);
    }
    let session = decoded.session;
    const key = session.id.toLowerCase();
    if (this.known(key) || (await this.files.read(key).catch(() => null))) session = { ...session, id: this.newId() };
    return this.create(session);
  }

  async flush(): Promise<void> {
    await this.verifying;
    const written = this.files.flushAll();
    await written.catch(() => undefined);
    await this.index.settle();
    await written;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.files.removeEmptiedJournals();
  }

  isReadOnly(id: string): boolean {
    return isSessionId(id) && this.newer.has(id.toLowerCase());
  }

  notices(): string[] {
    return [...this.notes, ...this.index.notices];
  }
}

export async function createSessionStore(opts: SessionStoreOptions): Promise<SessionStore> {
  const store = new Sessions(opts);
  await store.open();
  return store;
}
