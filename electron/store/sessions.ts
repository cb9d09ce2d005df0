import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { ParleyError, describeIssues } from '../../shared/errors';
import { isSessionId } from '../../shared/ids';
import { Session, type SessionSummary } from '../../shared/session';
import { journalLine, replayJournal } from './journal';
import { AtomicJsonFile, isTempName, serialize } from '../fs/atomic';
import { isNotFound, isNotRegularFile, nodeFs, type FsLayer } from '../fs/layer';
import { Quarantine, checkDataFolder, checkRealDirectory, notRegularReason } from './quarantine';
import { readTextFile } from '../fs/guarded-read';
import { MAX_FILE_BYTES, MAX_FILE_MB } from '../../shared/limits';
import { decodeSessionText, type Decoded } from './migrations';
import { queryTerms, searchDigest, searchDigestSince, summarize, type MessageWords } from './digest';
import { SessionIndex, type IndexEntry } from './session-index';
import { saveFailed } from './save-errors';
import type { ListQuery, ListResult, SessionStore } from './types';

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

/** A temp file younger than this may still be being written by another process. */
const TEMP_MIN_AGE_MS = 60_000;

const MESSAGE_WORDS_KEPT = 100;

/** How long after a journaled save the whole file is rewritten (coalescing a burst of turns). */
const CHECKPOINT_MS = 1500;


export const DEFAULT_PAGE_SIZE = 100;
const JOURNAL_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.journal$/i;
const SESSION_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/i;
const CACHE_SIZE = 16;
const IO_CONCURRENCY = 16;

/** Validates before anything touches a path: only a UUID ever becomes part of a file name. */
export function checkSessionId(id: unknown): string {
  if (!isSessionId(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 80)) : typeof id;
    throw new ParleyError('INVALID_INPUT', `${shown} is not a session id; a session id is a UUID (e.g. 3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f).`);
  }
  return id.toLowerCase();
}

/** A version of a session with its revision: the counter that orders versions on disk (see journal.ts). */
interface Revised {
  session: Session;
  revision: number;
}

/** One queue per session: writes never interleave, and only the newest pending version is written. */
class SessionWriter {
  pending: Revised | null = null;
  private tail: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (version: Revised) => Promise<void>,
    /** Failures of deferred writes, which no caller awaits. */
    private readonly onDeferredError: (error: unknown) => void = () => undefined,
  ) {}

  save(version: Revised): Promise<void> {
    this.pending = version;
    return this.enqueue();
  }

  saveSoon(version: Revised, delayMs: number): void {
    this.pending = version;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.enqueue().catch(this.onDeferredError); // kept in `pending`; the next save or flush() retries
    }, delayMs);
  }

  flush(): Promise<void> {
    return this.pending ? this.enqueue() : this.tail;
  }

  private enqueue(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const run = this.tail.then(() => this.drain());
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async drain(): Promise<void> {
    const version = this.pending;
    if (!version) return;
    this.pending = null;
    try {
      await this.write(version);
    } catch (error) {
      this.pending ??= version; // a newer version queued meanwhile wins
      throw error;
    }
  }
}

async function inBatches<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function createSessionStore(opts: SessionStoreOptions): Promise<SessionStore> {
  const fs = opts.fs ?? nodeFs;
  const clock = opts.clock ?? (() => new Date());
  const checkpointMs = opts.checkpointMs ?? CHECKPOINT_MS;
  const newId = opts.newId ?? randomUUID;
  const { dataDir } = opts;
  const sessionsDir = join(dataDir, 'sessions');
  const trashDir = join(dataDir, 'trash');
  const sessionPath = (key: string) => join(sessionsDir, `${key}.json`);
  const journalPath = (key: string) => join(sessionsDir, `${key}.journal`);
  /**
   * Per session with a journal: the message ids it holds beyond the file and the newest state it
   * records. The journal is removed once a full write holds both.
   */
  const journaled = new Map<string, { ids: Set<string>; revision: number }>();
  /** The newest revision of each session this process has read, saved or queued. */
  const revisions = new Map<string, number>();
  /** How many leading messages of each session are durable (in its file or its journal). */
  const durable = new Map<string, number>();

  const openedReadOnly = opts.readOnly === true;
  if (openedReadOnly) {
    await checkDataFolder(fs, dataDir);
    if (await fs.lstat(sessionsDir).catch(() => null)) await checkRealDirectory(fs, sessionsDir, dataDir);
  } else {
    await fs.mkdir(sessionsDir);
    await checkRealDirectory(fs, sessionsDir, dataDir);
  }
  if (await fs.lstat(trashDir).catch(() => null)) await checkRealDirectory(fs, trashDir, dataDir);

  const notices: string[] = [];
  const writers = new Map<string, SessionWriter>();
  const cache = new Map<string, Session>();
  const readOnly = new Map<string, number>();
  const quarantined = await Quarantine.load(fs, dataDir, clock);

  const remember = (key: string, session: Session) => {
    cache.delete(key);
    cache.set(key, session);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  };

  /** Moves a bad file of the data folder aside with a note saying why; never deletes it. Read-only: only says so. */
  async function quarantine(path: string, reason: string): Promise<void> {
    const notice = openedReadOnly ? quarantined.note(path, reason) : await quarantined.move(path, reason);
    if (notice) notices.push(notice);
  }

  function refuseIfReadOnly(what: string): void {
    if (openedReadOnly) throw new ParleyError('READ_ONLY', `The sessions were opened read-only (by a command that only reads); ${what} was not saved.`);
  }

  function futureNotice(key: string, version: number) {
    if (readOnly.has(key)) return;
    readOnly.set(key, version);
    notices.push(`Session ${key} was saved by a newer version of Parley (schema ${version}); it is open read-only and will not be changed.`);
  }

  async function readDecoded(key: string): Promise<{ decoded: Decoded; size: number; mtimeMs: number } | null> {
    const read = await readTextFile(fs, sessionPath(key), MAX_FILE_BYTES, { noFollow: true });
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

  function entryFor(session: Session, size: number, mtimeMs: number, isReadOnly = false): IndexEntry {
    return { ...summarize(session, size), id: session.id.toLowerCase(), mtimeMs, ...(isReadOnly ? { readOnly: true } : {}) };
  }

  /** Reads one file and brings its index entry up to date: indexed, read-only, quarantined or gone. */
  async function reindex(index: SessionIndex, key: string): Promise<{ entry: IndexEntry; digest: string } | null> {
    const read = await readDecoded(key);
    if (!read) return null;
    const { decoded, size, mtimeMs } = read;
    if (decoded.kind === 'ok') return { entry: entryFor(decoded.session, size, mtimeMs), digest: searchDigest(decoded.session) };
    if (decoded.kind === 'future') {
      futureNotice(key, decoded.version);
      const raw = decoded.raw;
      const view = decoded.session;
      const entry: IndexEntry = view
        ? entryFor(view, size, mtimeMs, true)
        : {
            id: key,
            title: typeof raw.title === 'string' ? raw.title : '(saved by a newer Parley)',
            stage: 'INITIAL',
            agentType: null,
            updatedAt: typeof raw.updatedAt === 'string' ? raw.updatedAt : new Date(mtimeMs).toISOString(),
            size,
            mtimeMs,
            readOnly: true,
          };
      return { entry, digest: view ? searchDigest(view) : entry.title.toLowerCase() };
    }
    await quarantine(sessionPath(key), decoded.reason);
    return null;
  }

  /** Sessions whose journal outlived the process that wrote it (a crash before the file was rewritten). */
  const leftJournals: string[] = [];

  /** A temp file left by a crash mid-save; one younger than a minute may be a save in progress elsewhere. */
  async function sweepTemp(path: string): Promise<void> {
    const st = await fs.lstat(path).catch(() => null);
    if (st && st.kind !== 'directory' && clock().getTime() - st.mtimeMs > TEMP_MIN_AGE_MS) await fs.unlink(path).catch(() => undefined);
  }

  async function scanSessionsDir(): Promise<string[]> {
    const keys: string[] = [];
    let names: string[];
    try {
      names = await fs.readdir(sessionsDir);
    } catch (error) {
      if (openedReadOnly && isNotFound(error)) return keys; // a data folder with no session yet
      throw error;
    }
    for (const name of names) {
      const m = SESSION_FILE.exec(name);
      const j = JOURNAL_FILE.exec(name);
      if (m && m[1] && isSessionId(m[1])) keys.push(m[1].toLowerCase());
      else if (j && j[1] && isSessionId(j[1])) leftJournals.push(j[1].toLowerCase());
      else if (isTempName(name) && opts.sweepTemps && !openedReadOnly) await sweepTemp(join(sessionsDir, name));
    }
    return keys;
  }

  // --- open: load the index, or rebuild it from the files; then reconcile with the directory ---
  const loaded = await SessionIndex.load(fs, dataDir, quarantine, { readOnly: openedReadOnly });
  const index = loaded.index;
  const onDisk = await scanSessionsDir();
  if (loaded.state !== 'ok') {
    if (loaded.state === 'corrupt') notices.push('The session index was damaged; it was rebuilt from the session files.');
    const rebuilt: Array<{ entry: IndexEntry; digest: string }> = [];
    await inBatches(onDisk, IO_CONCURRENCY, async (key) => {
      const r = await reindex(index, key);
      if (r) rebuilt.push(r);
    });
    await index.replaceAll(rebuilt);
  } else {
    const present = new Set(onDisk);
    for (const key of index.ids()) if (!present.has(key)) await index.remove(key);
    const unindexed = onDisk.filter((key) => !index.has(key));
    await inBatches(unindexed, IO_CONCURRENCY, async (key) => {
      const r = await reindex(index, key);
      if (r) await index.put(r.entry, r.digest);
    });
    for (const key of index.ids()) {
      const e = index.get(key);
      if (e?.readOnly) readOnly.set(key, 0);
    }
  }

  async function verify(): Promise<{ repaired: number; removed: number }> {
    let repaired = 0;
    let removed = 0;
    await inBatches(index.ids(), 8, async (key) => {
      if (writers.get(key)?.pending) return; // being written by us right now
      const entry = index.get(key);
      if (!entry) return;
      let st: { size: number; mtimeMs: number };
      try {
        st = await fs.lstat(sessionPath(key));
      } catch (error) {
        if (!isNotFound(error)) return;
        if (writers.get(key)?.pending) return;
        await index.remove(key);
        removed++;
        return;
      }
      if (st.size === entry.size && st.mtimeMs === entry.mtimeMs) return;
      const r = await reindex(index, key);
      if (r) await index.put(r.entry, r.digest);
      else await index.remove(key);
      repaired++;
    });
    return { repaired, removed };
  }

  let verifying: Promise<unknown> = opts.verifyOnOpen === false ? Promise.resolve() : verify().catch(() => undefined);

  // The index describes files; a left-over journal's newer title, stage and messages are shown
  // in list and search too (in memory; the files are not written by merely opening the store).
  for (const key of leftJournals) {
    const entry = index.get(key);
    if (!entry) continue;
    const session = await get(key).catch(() => null);
    if (session) index.show(entryFor(session, entry.size, entry.mtimeMs, entry.readOnly), searchDigest(session));
  }

  /** The file now holds everything the journal does: the journal can go (a leftover one replays harmlessly). */
  async function foldedJournal(key: string, written: Session, revision: number): Promise<void> {
    durable.set(key, written.messages.length);
    const j = journaled.get(key);
    if (!j) return;
    if (revision < j.revision) return; // an older version finished writing after a newer journal entry
    const inFile = new Set(written.messages.map((m) => m.id));
    for (const id of j.ids) if (!inFile.has(id)) return;
    journaled.delete(key);
    await fs.unlink(journalPath(key)).catch(() => undefined);
  }

  /** A session file plus what its journal adds: messages, and the newest state (spec, stage, …). */
  async function withJournal(key: string, session: Session, fileRevision: number | undefined): Promise<Revised> {
    let text: string;
    try {
      text = (await fs.readFile(journalPath(key), { noFollow: true })).toString('utf8');
    } catch (error) {
      if (isNotRegularFile(error)) await quarantine(journalPath(key), notRegularReason(error.kind, 'session journal'));
      else if (!isNotFound(error)) throw error;
      return { session, revision: fileRevision ?? 0 };
    }
    const replayed = replayJournal(session, text, fileRevision);
    const revision = replayed.revision ?? 0;
    if (replayed.session !== session) journaled.set(key, { ids: replayed.added, revision });
    return { session: replayed.session, revision };
  }

  /** The revision for the next saved version of a session: one past the newest read, saved or queued. */
  async function nextRevision(key: string): Promise<number> {
    if (!revisions.has(key) && !live.has(key)) await get(key).catch(() => undefined); // learns the revision on disk
    const next = (revisions.get(key) ?? 0) + 1;
    revisions.set(key, next);
    return next;
  }

  /**
   * Makes a session durable by appending what changed to its journal (one small fdatasync)
   * instead of rewriting the whole file: the messages not yet on disk and the session's state
   * without its messages. The file is rewritten (and the journal folded in) shortly after, off
   * the turn's path, or at flush/close. This is what a turn's saves use; anything unusual takes
   * the full, atomic path, which also reports failures (SAVE_FAILED) and keeps the session in memory.
   */
  async function journal(session: Session): Promise<void> {
    refuseIfReadOnly('the turn');
    const s = validate(session);
    if (!known(s.id)) throw new ParleyError('NOT_FOUND', `There is no session ${s.id} to save; it may have been deleted.`);
    ensureWritable(s.id);
    const key = s.id;
    const onDisk = durable.get(key);
    const cached = cache.get(key);
    // Only a continuation of what is durable can be journaled: same leading messages, more after.
    if (onDisk === undefined || onDisk > s.messages.length || (onDisk > 0 && cached?.messages[onDisk - 1]?.id !== s.messages[onDisk - 1]?.id)) {
      return save(s);
    }
    const { messages: _all, ...state } = s;
    const added = s.messages.slice(onDisk);
    const revision = await nextRevision(key);
    try {
      await fs.appendDurable(journalPath(key), journalLine(added, state, revision));
    } catch (error) {
      // Planted there (a link would send the conversation outside the data folder): moved aside.
      if (isNotRegularFile(error)) await quarantine(journalPath(key), notRegularReason(error.kind, 'session journal'));
      return save(s);
    }
    const j = journaled.get(key) ?? { ids: new Set<string>(), revision };
    for (const m of added) j.ids.add(m.id);
    j.revision = Math.max(j.revision, revision);
    journaled.set(key, j);
    durable.set(key, s.messages.length);
    remember(key, s);
    const previous = index.get(key);
    index.show(entryFor(s, previous?.size ?? 0, previous?.mtimeMs ?? 0), digestFor(key, s));
    writerFor(key).saveSoon({ session: s, revision }, checkpointMs);
  }

  /** A deferred rewrite failed (disk full, …): what the user typed is safe in the journal; say so once. */
  function deferredFailed(key: string, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const notice = `Session ${key} could not be rewritten (${reason}); everything is kept in its journal and Parley retries on the next change.`;
    if (notices.at(-1) !== notice) notices.push(notice);
  }

  /** Folded message words of recently saved sessions: a turn's second save folds only its new messages. */
  const messageWords = new Map<string, MessageWords>();

  function digestFor(key: string, session: Session): string {
    const { digest, next } = searchDigestSince(session, messageWords.get(key));
    messageWords.delete(key); // re-inserted last: the Map's order makes the oldest the first to go
    messageWords.set(key, next);
    if (messageWords.size > MESSAGE_WORDS_KEPT) messageWords.delete(messageWords.keys().next().value!);
    return digest;
  }

  async function writeSession({ session, revision }: Revised): Promise<void> {
    const key = session.id;
    const file = sessionPath(key);
    const adapter = new AtomicJsonFile<Session & { revision: number }>(fs, file);
    try {
      const db = new Low(adapter, { ...session, revision });
      await db.write();
    } catch (error) {
      throw saveFailed(error, `session "${session.title || key}"`, sessionsDir);
    }
    remember(key, session);
    await foldedJournal(key, session, revision);
    const st = adapter.lastWritten ?? (await fs.stat(file).catch(() => ({ size: 0, mtimeMs: 0 })));
    await index.put(entryFor(session, st.size, st.mtimeMs), digestFor(key, session));
  }

  const writerFor = (key: string) => {
    let w = writers.get(key);
    if (!w) writers.set(key, (w = new SessionWriter(writeSession, (error) => deferredFailed(key, error))));
    return w;
  };

  function validate(session: unknown): Session {
    const parsed = Session.safeParse(session);
    if (!parsed.success) {
      if (typeof session === 'object' && session !== null && 'id' in session) checkSessionId(session.id);
      throw new ParleyError('INVALID_INPUT', `The session is not valid: ${describeIssues(parsed.error)}`);
    }
    const key = checkSessionId(parsed.data.id);
    return { ...parsed.data, id: key };
  }

  function ensureWritable(key: string) {
    const version = readOnly.get(key);
    if (version !== undefined) {
      throw new ParleyError(
        'READ_ONLY',
        `This session was saved by a newer version of Parley${version ? ` (schema ${version})` : ''}; it is open read-only so that version's data is not lost. Update Parley to edit it, or duplicate it as a template.`,
      );
    }
  }

  /** Created in this run (possibly not yet on disk) / being moved to the trash right now. */
  const live = new Set<string>();
  const deleting = new Set<string>();
  const known = (key: string) => !deleting.has(key) && (index.has(key) || live.has(key));

  async function get(id: string): Promise<Session> {
    const key = checkSessionId(id);
    const pending = writers.get(key)?.pending;
    if (pending) return structuredClone(pending.session);
    const cached = cache.get(key);
    if (cached) return structuredClone(cached);
    const read = await readDecoded(key);
    if (!read) {
      if (index.has(key)) await index.remove(key);
      throw new ParleyError('NOT_FOUND', `There is no session ${key}. It may have been deleted; the session list shows what exists.`);
    }
    const { decoded } = read;
    if (decoded.kind === 'invalid') {
      await quarantine(sessionPath(key), decoded.reason);
      await index.remove(key);
      const where = openedReadOnly ? 'it will be moved to the quarantine folder when Parley next opens' : 'the file was moved to the quarantine folder in';
      throw new ParleyError('NOT_FOUND', `Session ${key} could not be read (${decoded.reason}); ${where} ${dataDir}.`);
    }
    if (decoded.kind === 'future') {
      futureNotice(key, decoded.version);
      if (!decoded.session) {
        throw new ParleyError('READ_ONLY', `Session ${key} was saved by a newer version of Parley (schema ${decoded.version}) and cannot be shown by this one. Update Parley to open it.`);
      }
      return structuredClone(decoded.session);
    }
    const { session, revision } = await withJournal(key, decoded.session, decoded.revision);
    revisions.set(key, Math.max(revisions.get(key) ?? 0, revision));
    remember(key, session);
    if (!writers.get(key)?.pending) durable.set(key, session.messages.length);
    return structuredClone(session);
  }

  async function create(session: Session): Promise<Session> {
    refuseIfReadOnly('the new session');
    const s = validate(session);
    if (known(s.id) || (await readDecoded(s.id).catch(() => null))) {
      throw new ParleyError('CONFLICT', `A session with id ${s.id} already exists.`);
    }
    live.add(s.id);
    revisions.set(s.id, 1);
    await writerFor(s.id).save({ session: s, revision: 1 });
    return structuredClone(s);
  }

  async function save(session: Session): Promise<void> {
    refuseIfReadOnly('the change');
    const s = validate(session);
    if (!known(s.id)) throw new ParleyError('NOT_FOUND', `There is no session ${s.id} to save; it may have been deleted.`);
    ensureWritable(s.id);
    const revision = await nextRevision(s.id);
    await writerFor(s.id).save({ session: s, revision });
  }

  async function list(query: ListQuery = {}): Promise<ListResult> {
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = Math.max(0, Math.floor(query.limit ?? DEFAULT_PAGE_SIZE));
    let entries = index.all();
    const terms = query.search ? queryTerms(query.search) : [];
    if (terms.length > 0) {
      const hits = await index.search(terms, async (key) => (await reindex(index, key))?.digest ?? null);
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
    return { items, total: entries.length, quarantined: [...quarantined.entries] };
  }

  async function remove(id: string): Promise<void> {
    refuseIfReadOnly('the deletion');
    const key = checkSessionId(id);
    if (!known(key)) throw new ParleyError('NOT_FOUND', `There is no session ${key} to delete.`);
    deleting.add(key);
    try {
      const writer = writers.get(key);
      writers.delete(key);
      await writer?.flush().catch(() => undefined); // a failing pending save must not block the delete
      if (journaled.has(key)) {
        // The trash keeps whole files: fold journaled messages in first (undo must bring them back).
        const cached = cache.get(key);
        if (cached) await writeSession({ session: cached, revision: revisions.get(key) ?? 0 }).catch(() => undefined);
      }
      await fs.mkdir(trashDir);
      await checkRealDirectory(fs, trashDir, dataDir);
      try {
        await fs.rename(sessionPath(key), join(trashDir, `${key}.json`));
      } catch (error) {
        if (!isNotFound(error)) throw saveFailed(error, `the deletion of session ${key}`, dataDir);
      }
      cache.delete(key);
      revisions.delete(key);
      readOnly.delete(key);
      live.delete(key);
      await index.remove(key);
    } finally {
      deleting.delete(key);
    }
  }

  async function restore(id: string): Promise<Session> {
    refuseIfReadOnly('the restore');
    const key = checkSessionId(id);
    if (known(key)) throw new ParleyError('CONFLICT', `Session ${key} already exists; there is nothing to restore.`);
    try {
      await fs.rename(join(trashDir, `${key}.json`), sessionPath(key));
    } catch (error) {
      if (isNotFound(error)) throw new ParleyError('NOT_FOUND', `Session ${key} is not in the trash.`);
      throw saveFailed(error, `the restored session ${key}`, dataDir);
    }
    const r = await reindex(index, key);
    if (!r) throw new ParleyError('NOT_FOUND', `Session ${key} could not be restored: its file is not a valid session.`);
    await index.put(r.entry, r.digest);
    return get(key);
  }

  async function exportRaw(id: string): Promise<string> {
    const key = checkSessionId(id);
    await writers.get(key)?.flush();
    // Messages still in the journal are part of the session: export what get() shows.
    const session = known(key) ? await get(key).catch(() => null) : null;
    if (session && journaled.has(key)) return serialize(session);
    try {
      return (await fs.readFile(sessionPath(key), { noFollow: true })).toString('utf8');
    } catch (error) {
      if (isNotFound(error) || isNotRegularFile(error)) throw new ParleyError('NOT_FOUND', `There is no session ${key} to export.`);
      throw error;
    }
  }

  async function importRaw(text: string): Promise<Session> {
    if (Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) {
      throw new ParleyError('INVALID_INPUT', `That file is too large to be a Parley session (over ${MAX_FILE_MB} MB).`);
    }
    const decoded = decodeSessionText(text);
    if (decoded.kind === 'invalid') throw new ParleyError('INVALID_INPUT', `That file is not a Parley session: ${decoded.reason}.`);
    if (decoded.kind === 'future') {
      throw new ParleyError('INVALID_INPUT', `That session was saved by a newer version of Parley (schema ${decoded.version}); update Parley to import it.`);
    }
    let session = decoded.session;
    if (known(session.id.toLowerCase()) || (await readDecoded(session.id.toLowerCase()).catch(() => null))) {
      session = { ...session, id: newId() };
    }
    return create(session);
  }

  async function flush(): Promise<void> {
    await verifying;
    const results = await Promise.allSettled([...writers.values()].map((w) => w.flush()));
    await index.settle();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  return {
    create,
    get,
    save,
    journal,
    list,
    delete: remove,
    restore,
    exportRaw,
    importRaw,
    flush,
    isReadOnly: (id) => isSessionId(id) && readOnly.has(id.toLowerCase()),
    notices: () => [...notices, ...index.notices],
    verify: () => {
      const run = verify();
      verifying = run.catch(() => undefined);
      return run;
    },
  };
}
