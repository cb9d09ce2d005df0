import { join } from 'node:path';
import { z } from 'zod';
import { VersionCause, VersionId, versionId, type VersionInfo } from '../../shared/versions';
import { writeFileAtomic } from '../fs/atomic';
import { isNotFound, isNotRegularFile, nodeFs, type FsLayer } from '../fs/layer';
import { checkRealDirectory, notRegularReason, Quarantine } from '../store/quarantine';
import { KeyedQueue } from '../services/keyed-queue';
import { decodeBlob, emptyBlobs, encodeBlob, StoredBlob, type BlobTable } from './blobs';
import { chunksOf, designFrom, hashText, type Design } from './design';

/**
 * The version store: one append-only file per session, `versions/<id>.versions`, of JSON lines.
 * The first line names the format and the session; each further line is a version: its metadata,
 * the chunks of the design that changed since the version before (by content hash) and the blobs
 * not stored yet, each whole or as a change to an earlier blob. A line for a number already seen
 * replaces that version (a batch of hand edits growing). So the file grows with the change, not
 * with the design.
 *
 * Crash safety as for session files: the file is created by an atomic write, each version is one
 * line appended with fdatasync, and a line torn by a crash (always the last) is dropped, the file
 * being rewritten atomically without it before the next append. Anything else wrong (a damaged
 * line, a blob that does not match its hash) quarantines the whole file; the session itself is
 * never affected.
 */

const FORMAT = 1;
/** Far beyond what years of editing one design write (a version is a few hundred bytes). */
const MAX_HISTORY_BYTES = 256 * 1024 * 1024;
const checksum = (text: string) => hashText(text).slice(0, 8);
const Header = z.object({ parleyVersions: z.literal(FORMAT), session: z.string() });
const VersionRecord = z.object({
  /** Checksum of the rest of the line: a damaged line is told from a good one. */
  k: z.string(),
  n: z.number().int().positive(),
  at: z.string(),
  cause: VersionCause,
  summary: z.string(),
  name: z.string().optional(),
  from: VersionId.optional(),
  /** Chunks that changed: their blob, or the hash of a blob already in the file. */
  c: z.record(z.string(), z.union([z.string(), StoredBlob])).default({}),
  del: z.array(z.string()).default([]),
});
type VersionRecord = z.infer<typeof VersionRecord>;

export interface NewVersion {
  at: string;
  cause: VersionCause;
  summary: string;
  name?: string;
  restoredFrom?: VersionId;
}

interface Loaded {
  infos: VersionInfo[];
  /** Chunk key → blob hash, per version (index n - 1). */
  states: Array<Map<string, string>>;
  blobs: BlobTable;
  /** The file's good text when its last line was torn: rewritten before the next append. */
  rewrite: string | null;
  exists: boolean;
}

export interface VersionStoreOptions {
  dataDir: string;
  fs?: FsLayer;
  clock?: () => Date;
  /** Nothing is written or moved (CLI commands that only read). */
  readOnly?: boolean;
}

class Damaged extends Error {}

const CACHE_SIZE = 8;

export class VersionStore {
  private readonly fs: FsLayer;
  private readonly dir: string;
  private readonly cache = new Map<string, Loaded>();
  private readonly queue = new KeyedQueue();
  private readonly notes: string[] = [];
  /** Per session, the notice of its quarantined history (shown with its version list). */
  private readonly damaged = new Map<string, string>();

  constructor(private readonly opts: VersionStoreOptions) {
    this.fs = opts.fs ?? nodeFs;
    this.dir = join(opts.dataDir, 'versions');
  }

  pathOf(sessionId: string): string {
    return join(this.dir, `${sessionId}.versions`);
  }

  notices(): string[] {
    return [...this.notes];
  }

  noticeFor(sessionId: string): string | undefined {
    return this.damaged.get(sessionId);
  }

  async list(sessionId: string): Promise<VersionInfo[]> {
    return this.queue.run(sessionId, async () => [...(await this.load(sessionId)).infos]);
  }

  async design(sessionId: string, id: VersionId): Promise<Design | null> {
    return this.queue.run(sessionId, async () => {
      const loaded = await this.load(sessionId);
      const state = loaded.states[Number(id.slice(1)) - 1];
      if (!state) return null;
      return designFrom(new Map([...state].map(([key, hash]) => [key, loaded.blobs.text.get(hash) ?? ''])));
    });
  }

  /**
   * Adds a version (or, with `amend`, replaces the newest one, which must have the same cause) and
   * resolves once it is durably on disk.
   */
  async append(sessionId: string, design: Design, meta: NewVersion, options: { amend?: boolean } = {}): Promise<VersionInfo> {
    return this.queue.run(sessionId, async () => {
      const loaded = await this.load(sessionId);
      const amend = options.amend === true && loaded.infos.length > 0;
      const n = amend ? loaded.infos.length : loaded.infos.length + 1;
      const previous = loaded.states[n - 2] ?? new Map<string, string>();
      const chunks = chunksOf(design);
      const state = new Map<string, string>();
      const changed: Record<string, string | StoredBlob> = {};
      const fresh = new Map<string, string>();
      for (const [key, text] of chunks) {
        const hash = hashText(text);
        state.set(key, hash);
        if (previous.get(key) === hash) continue;
        if (loaded.blobs.text.has(hash) || fresh.has(hash)) changed[key] = hash;
        else {
          changed[key] = encodeBlob(text, loaded.blobs, previous.get(key));
          fresh.set(hash, key);
        }
      }
      const del = [...previous.keys()].filter((key) => !chunks.has(key));
      const body = {
        n,
        at: meta.at,
        cause: meta.cause,
        summary: meta.summary,
        ...(meta.name ? { name: meta.name } : {}),
        ...(meta.restoredFrom ? { from: meta.restoredFrom } : {}),
        ...(Object.keys(changed).length ? { c: changed } : {}),
        ...(del.length ? { del } : {}),
      };
      const record = { k: checksum(JSON.stringify(body)), ...body };
      await this.write(sessionId, loaded, `${JSON.stringify(record)}\n`);
      // Only once on disk: the in-memory history never runs ahead of the file.
      for (const [key, stored] of Object.entries(changed)) if (typeof stored !== 'string') decodeBlob(stored, loaded.blobs, previous.get(key));
      const info = infoOf(VersionRecord.parse(record));
      loaded.infos[n - 1] = info;
      loaded.states[n - 1] = state;
      return info;
    });
  }

  private async write(sessionId: string, loaded: Loaded, line: string): Promise<void> {
    if (this.opts.readOnly) throw new Error('the version store was opened read-only');
    const file = this.pathOf(sessionId);
    if (!loaded.exists) {
      await this.fs.mkdir(this.dir);
      await checkRealDirectory(this.fs, this.dir, this.opts.dataDir);
      await writeFileAtomic(this.fs, file, `${JSON.stringify({ parleyVersions: FORMAT, session: sessionId })}\n${line}`, { replace: false });
      loaded.exists = true;
      return;
    }
    if (loaded.rewrite !== null) {
      await writeFileAtomic(this.fs, file, loaded.rewrite + line);
      loaded.rewrite = null;
      return;
    }
    await this.fs.appendDurable(file, line);
  }

  /** Forgets a session's cached history (its file was replaced or removed). */
  forget(sessionId: string): void {
    this.cache.delete(sessionId);
  }

  private async load(sessionId: string): Promise<Loaded> {
    const cached = this.cache.get(sessionId);
    if (cached) {
      this.cache.delete(sessionId);
      this.cache.set(sessionId, cached);
      return cached;
    }
    const loaded = await this.read(sessionId);
    this.cache.set(sessionId, loaded);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return loaded;
  }

  private async read(sessionId: string): Promise<Loaded> {
    const empty = (): Loaded => ({ infos: [], states: [], blobs: emptyBlobs(), rewrite: null, exists: false });
    const file = this.pathOf(sessionId);
    let bytes: Buffer;
    try {
      // Never loaded into memory to find out it is too big to be a history.
      const size = (await this.fs.lstat(file)).size;
      if (size > MAX_HISTORY_BYTES) {
        await this.setAside(sessionId, file, `the file is too large to be a version history (${Math.round(size / 1048576)} MB)`);
        return empty();
      }
      bytes = await this.fs.readFile(file, { noFollow: true });
    } catch (error) {
      if (isNotFound(error)) return empty();
      if (isNotRegularFile(error)) {
        await this.setAside(sessionId, file, notRegularReason(error.kind, 'version history'));
        return empty();
      }
      throw error;
    }
    try {
      return parseHistory(bytes, sessionId);
    } catch (error) {
      if (!(error instanceof Damaged)) throw error;
      await this.setAside(sessionId, file, error.message);
      return empty();
    }
  }

  private async setAside(sessionId: string, file: string, reason: string): Promise<void> {
    const quarantine = Quarantine.at(this.fs, this.opts.dataDir, this.opts.clock);
    const moved = this.opts.readOnly ? quarantine.note(file, reason) : await quarantine.move(file, reason);
    const notice = `The version history of session ${sessionId} could not be read (${reason})${this.opts.readOnly ? '' : '; it was moved to quarantine/ and a new history starts with the next version'}. The session itself is unaffected.`;
    this.damaged.set(sessionId, notice);
    if (moved !== null) this.notes.push(notice);
  }
}

function infoOf(record: VersionRecord): VersionInfo {
  return {
    id: versionId(record.n),
    at: record.at,
    cause: record.cause,
    summary: record.summary,
    ...(record.name ? { name: record.name } : {}),
    ...(record.from ? { restoredFrom: record.from } : {}),
  };
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a version file; a torn last line is dropped (and noted for rewriting), anything else wrong throws Damaged. */
export function parseHistory(bytes: Uint8Array, sessionId: string): Loaded {
  const end = bytes.lastIndexOf(0x0a) + 1;
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes.subarray(0, end));
  } catch {
    throw new Damaged('the file is not valid UTF-8 text');
  }
  const lines = text.split('\n').slice(0, -1);
  const parse = (line: string, i: number): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      throw new Damaged(`line ${i + 1} is not valid JSON`);
    }
  };
  if (lines.length === 0) {
    // Nothing whole: a crash while the file was first written is impossible (it is written atomically), so this is damage.
    throw new Damaged('the file has no header');
  }
  const header = Header.safeParse(parse(lines[0]!, 0));
  if (!header.success || header.data.session.toLowerCase() !== sessionId.toLowerCase()) throw new Damaged('the header does not name this session');
  const loaded: Loaded = { infos: [], states: [], blobs: emptyBlobs(), rewrite: end < bytes.length ? text : null, exists: true };
  for (let i = 1; i < lines.length; i++) {
    const raw = parse(lines[i]!, i);
    const parsed = VersionRecord.safeParse(raw);
    if (!parsed.success) throw new Damaged(`line ${i + 1} is not a version`);
    const { k, ...body } = raw as { k: unknown };
    if (k !== checksum(JSON.stringify(body))) throw new Damaged(`line ${i + 1} does not match its checksum`);
    const record = parsed.data;
    const count = loaded.infos.length;
    if (record.n !== count + 1 && !(record.n === count && count > 0)) throw new Damaged(`line ${i + 1} holds version ${record.n} after version ${count}`);
    const before = loaded.states[record.n - 2] ?? new Map<string, string>();
    const state = new Map(before);
    for (const key of record.del) state.delete(key);
    for (const [key, stored] of Object.entries(record.c)) {
      let hash: string;
      if (typeof stored === 'string') hash = stored;
      else {
        try {
          hash = decodeBlob(stored, loaded.blobs, before.get(key));
        } catch (error) {
          throw new Damaged(`line ${i + 1}: ${(error as Error).message}`);
        }
      }
      if (!loaded.blobs.text.has(hash)) throw new Damaged(`line ${i + 1} refers to a blob that is not in the file`);
      state.set(key, hash);
    }
    loaded.states[record.n - 1] = state;
    loaded.infos[record.n - 1] = infoOf(record);
  }
  return loaded;
}

/** For tests and benches: the bytes a version file takes. */
export async function historySize(fs: FsLayer, file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch (error) {
    if (isNotFound(error)) return 0;
    throw error;
  }
}

