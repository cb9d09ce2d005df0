import { join } from 'node:path';
import { z } from 'zod';
import { SessionSummary } from '../../shared/session';
import { STAGES } from '../../shared/stages';
import { isSessionId } from '../../shared/ids';
import { writeFileAtomic } from '../fs/atomic';
import { isNotFound, isNotRegularFile, type FsLayer } from '../fs/layer';
import { notRegularReason } from './quarantine';

/** Moves a file of the data folder aside with a reason (the store's quarantine). */
export type SetAside = (path: string, reason: string) => Promise<void>;
import { matchesDigest } from './digest';

/**
 * The session list's index. Three files under the data dir, all derivable from the session files:
 *   index.json  snapshot of every summary (+ the file's size/mtime to detect staleness)
 *   index.log   JSON lines appended on every save/delete since the snapshot
 *   search.log  "<id>\t<digest>" lines appended on every save; the last line for an id wins
 * A save appends one line to each log (O(that session)); the snapshot and the search log are
 * rewritten only when the logs have grown past a fraction of the whole, so the amortized cost
 * of a save does not grow with the number of sessions. Digests live apart from the summaries
 * so that listing reads a small file and never the search text.
 */

export const INDEX_FORMAT = 1;

export const IndexEntry = SessionSummary.extend({
  mtimeMs: z.number(),
  /** Written by a newer Parley: listed, opened read-only, never overwritten. */
  readOnly: z.boolean().optional(),
});
export type IndexEntry = z.infer<typeof IndexEntry>;

const Snapshot = z.object({ format: z.literal(INDEX_FORMAT), entries: z.array(z.unknown()) });
const LogLine = z.union([z.object({ put: z.unknown() }), z.object({ del: z.string() })]);

const STAGE_NAMES = new Set<string>(STAGES);

/**
 * Hand-written check of one entry: equivalent to IndexEntry.safeParse but several times faster,
 * which keeps opening an index of 10,000 sessions within the listing budget.
 */
export function asIndexEntry(value: unknown): IndexEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const e = value as Record<string, unknown>;
  if (!isSessionId(e.id) || typeof e.title !== 'string' || typeof e.stage !== 'string' || !STAGE_NAMES.has(e.stage)) return null;
  if (!(e.agentType === null || typeof e.agentType === 'string') || typeof e.updatedAt !== 'string') return null;
  if (typeof e.size !== 'number' || !Number.isInteger(e.size) || e.size < 0 || typeof e.mtimeMs !== 'number') return null;
  if (e.readOnly !== undefined && typeof e.readOnly !== 'boolean') return null;
  const entry: IndexEntry = {
    id: e.id.toLowerCase(),
    title: e.title,
    stage: e.stage as IndexEntry['stage'],
    agentType: e.agentType,
    updatedAt: e.updatedAt,
    size: e.size,
    mtimeMs: e.mtimeMs,
  };
  if (e.readOnly) entry.readOnly = true;
  return entry;
}

export type LoadState = 'ok' | 'missing' | 'corrupt';

/**
 * JSON with every non-ASCII character written as a \u escape: the same value to any JSON reader,
 * but a one-byte string when read back, which decodes and parses about twice as fast as the
 * two-byte string one accented title makes of the whole 10,000-entry snapshot.
 */
export function asciiJson(value: unknown): string {
  return `${JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export class SessionIndex {
  private readonly entries = new Map<string, IndexEntry>();
  private sorted: IndexEntry[] | null = null;
  private digests: Map<string, string> | null = null;
  /** Digests recorded before the search log was first read; they override what the file says. */
  private readonly unloadedDigests = new Map<string, string>();
  /** Digests of sessions shown but not yet put, made when a search or compaction needs them (a turn's save does not wait for one). */
  private readonly lateDigests = new Map<string, () => string>();
  private logLines = 0;
  private searchLogLines = 0;
  private queue: Promise<void> = Promise.resolve();
  private compactPending = false;
  /** Set when an append failed: the logs may lack a change, so the next compaction must run. */
  private dirty = false;
  readonly notices: string[] = [];

  private constructor(
    private readonly fs: FsLayer,
    private readonly dataDir: string,
    /** Moves a planted link, directory or special file aside (see quarantine.ts). */
    private readonly quarantine: SetAside,
    /** Opened to read only: changes stay in memory, no file is appended, compacted or rebuilt. */
    private readonly readOnly = false,
  ) {}

  get snapshotPath() {
    return join(this.dataDir, 'index.json');
  }
  get logPath() {
    return join(this.dataDir, 'index.log');
  }
  get searchLogPath() {
    return join(this.dataDir, 'search.log');
  }

  /**
   * Reads one of the index's files; null when it is missing. One that is not a regular file is
   * moved aside and read as missing (everything in it can be rebuilt from the session files).
   */
  private async readOwn(path: string, what: string): Promise<string | null | 'set aside'> {
    try {
      return (await this.fs.readFile(path, { noFollow: true })).toString('utf8');
    } catch (error) {
      if (isNotRegularFile(error)) {
        await this.quarantine(path, notRegularReason(error.kind, what));
        return 'set aside';
      }
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Appends one line; a planted link or directory in the way is moved aside first. */
  private async append(path: string, line: string, what: string): Promise<void> {
    try {
      await this.fs.appendFile(path, line);
    } catch (error) {
      if (!isNotRegularFile(error)) throw error;
      await this.quarantine(path, notRegularReason(error.kind, what));
      await this.fs.appendFile(path, line);
    }
  }

  /** Reads snapshot + log. 'missing'/'corrupt' tell the caller to rebuild from the session files. */
  static async load(fs: FsLayer, dataDir: string, quarantine: SetAside, options: { readOnly?: boolean } = {}): Promise<{ index: SessionIndex; state: LoadState }> {
    const index = new SessionIndex(fs, dataDir, quarantine, options.readOnly === true);
    const text = await index.readOwn(index.snapshotPath, 'session index');
    if (text === null || text === 'set aside') return { index, state: 'missing' };
    let snapshot: z.infer<typeof Snapshot>;
    try {
      snapshot = Snapshot.parse(JSON.parse(text));
    } catch {
      return { index, state: 'corrupt' };
    }
    for (const item of snapshot.entries) index.apply({ put: item });
    const log = await index.readOwn(index.logPath, 'session index log');
    if (log === 'set aside') return { index, state: 'corrupt' }; // the changes since the snapshot are unknown
    for (const line of (log ?? '').split('\n')) {
      if (!line) continue;
      index.logLines++;
      try {
        const parsed = LogLine.safeParse(JSON.parse(line));
        if (parsed.success) index.apply(parsed.data);
      } catch {
        // A torn last line from a crash mid-append: the staleness check repairs what it described.
      }
    }
    return { index, state: 'ok' };
  }

  private apply(line: { put: unknown } | { del: string }): void {
    if ('del' in line) {
      this.entries.delete(line.del);
    } else {
      const entry = asIndexEntry(line.put);
      if (entry) this.entries.set(entry.id, entry);
    }
    this.sorted = null;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }
  get(id: string): IndexEntry | undefined {
    return this.entries.get(id);
  }
  ids(): string[] {
    return [...this.entries.keys()];
  }
  /** Sessions written by a newer Parley. */
  readOnlyIds(): string[] {
    const ids: string[] = [];
    for (const entry of this.entries.values()) if (entry.readOnly) ids.push(entry.id);
    return ids;
  }
  get size(): number {
    return this.entries.size;
  }

  /** Newest first; ties broken by id so paging is stable. */
  all(): IndexEntry[] {
    this.sorted ??= [...this.entries.values()].sort((a, b) =>
      a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    return this.sorted;
  }

  /** Updates what list and search see at once; the entry reaches the index files with the next put. */
  show(entry: IndexEntry, digest: string | (() => string)): void {
    this.entries.set(entry.id, entry);
    this.sorted = null;
    if (typeof digest === 'function') {
      this.lateDigests.set(entry.id, digest);
      return;
    }
    this.lateDigests.delete(entry.id);
    (this.digests ?? this.unloadedDigests).set(entry.id, digest);
  }

  private makeLateDigests(digests: Map<string, string>): void {
    for (const [id, make] of this.lateDigests) digests.set(id, make());
    this.lateDigests.clear();
  }

  /** Records a saved session; resolves once both log lines are appended (never rejects). */
  put(entry: IndexEntry, digest: string): Promise<void> {
    this.show(entry, digest);
    return this.enqueue(async () => {
      await this.append(this.logPath, `${JSON.stringify({ put: entry })}\n`, 'session index log');
      this.logLines++;
      await this.append(this.searchLogPath, `${entry.id}\t${digest}\n`, 'search log');
      this.searchLogLines++;
    });
  }

  remove(id: string): Promise<void> {
    if (!this.entries.delete(id)) return this.queue;
    this.sorted = null;
    this.digests?.delete(id);
    this.unloadedDigests.delete(id);
    this.lateDigests.delete(id);
    return this.enqueue(async () => {
      await this.append(this.logPath, `${JSON.stringify({ del: id })}\n`, 'session index log');
      this.logLines++;
    });
  }

  /** Replaces the in-memory index wholesale (after a rebuild) and writes fresh files. */
  async replaceAll(entries: Array<{ entry: IndexEntry; digest: string }>): Promise<void> {
    this.entries.clear();
    this.lateDigests.clear();
    this.digests = new Map();
    for (const { entry, digest } of entries) {
      this.entries.set(entry.id, entry);
      this.digests.set(entry.id, digest);
    }
    this.sorted = null;
    this.dirty = true;
    await this.enqueue(() => this.compactNow(true));
  }

  /** Ids whose summary or digest matches every term; loads the search log on first use. */
  async search(terms: readonly string[], readDigest: (id: string) => Promise<string | null>): Promise<Set<string>> {
    const digests = await this.loadDigests();
    this.makeLateDigests(digests);
    // Sessions saved by another process or missing from a torn log get their digest from the file.
    for (const id of this.entries.keys()) {
      if (!digests.has(id)) {
        const d = await readDigest(id);
        if (d !== null) digests.set(id, d);
      }
    }
    const hits = new Set<string>();
    for (const [id, digest] of digests) if (this.entries.has(id) && matchesDigest(digest, terms)) hits.add(id);
    return hits;
  }

  private async loadDigests(): Promise<Map<string, string>> {
    if (this.digests) return this.digests;
    const digests = new Map<string, string>();
    const read = await this.readOwn(this.searchLogPath, 'search log');
    const text = read === null || read === 'set aside' ? '' : read;
    let lines = 0;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      // "<36-char uuid>\t<digest>"; anything else is a torn line and is skipped.
      if (end - start > 36 && text.charCodeAt(start + 36) === 9) {
        lines++;
        digests.set(text.slice(start, start + 36).toLowerCase(), text.slice(start + 37, end));
      }
      start = end + 1;
    }
    if (this.digests) return this.digests;
    for (const [id, digest] of this.unloadedDigests) digests.set(id, digest);
    this.unloadedDigests.clear();
    this.searchLogLines = lines;
    this.digests = digests;
    return digests;
  }

  /** Waits for every queued append or compaction. */
  async settle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.queue;
      await current;
    } while (current !== this.queue);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    if (this.readOnly) return this.queue;
    const run = this.queue.then(task).catch((error: unknown) => {
      this.dirty = true;
      this.notices.push(`The session index could not be updated (${(error as Error).message}); it will be rebuilt on the next start if needed.`);
    });
    this.queue = run.then(() => this.maybeScheduleCompaction());
    return run;
  }

  private maybeScheduleCompaction(): void {
    const live = this.entries.size;
    const logTooLong = this.logLines > Math.max(256, live / 2);
    const searchTooLong = this.digests !== null && this.searchLogLines > Math.max(512, live * 2);
    if (this.compactPending || !(logTooLong || searchTooLong || this.dirty)) return;
    this.compactPending = true;
    this.queue = this.queue.then(() =>
      this.compactNow(searchTooLong || this.dirty)
        .catch((error: unknown) => {
          this.notices.push(`The session index could not be compacted (${(error as Error).message}).`);
        })
        .finally(() => {
          this.compactPending = false;
        }),
    );
  }

  /** Snapshot first, then empty the log: a crash in between only replays lines already in the snapshot. */
  private async compactNow(withSearch: boolean): Promise<void> {
    await writeFileAtomic(this.fs, this.snapshotPath, asciiJson({ format: INDEX_FORMAT, entries: [...this.entries.values()] }));
    await writeFileAtomic(this.fs, this.logPath, '');
    this.logLines = 0;
    if (withSearch && this.digests) {
      this.makeLateDigests(this.digests);
      let text = '';
      for (const [id, digest] of this.digests) if (this.entries.has(id)) text += `${id}\t${digest}\n`;
      await writeFileAtomic(this.fs, this.searchLogPath, text);
      this.searchLogLines = this.entries.size;
    }
    this.dirty = false;
  }
}
