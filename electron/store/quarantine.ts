import { basename, join, relative } from 'node:path';
import { ParleyError } from '../../shared/errors';
import type { QuarantinedFile } from '../../shared/session';
import { serialize, writeFileAtomic } from '../fs/atomic';
import { describeNotRegular, isNotFound, type FsLayer, type NotRegularKind } from '../fs/layer';

/**
 * The data folder's quarantine: bad files are moved to `quarantine/` next to a `.reason.json`
 * saying why, and never deleted. Sessions, journals, the index and its logs, and settings all
 * end up here when they cannot be used (damaged, or a link, directory or device planted where a
 * regular file belongs).
 */
export class Quarantine {
  readonly entries: QuarantinedFile[] = [];

  private constructor(
    private readonly fs: FsLayer,
    private readonly dataDir: string,
    private readonly clock: () => Date,
  ) {}

  get dir(): string {
    return join(this.dataDir, 'quarantine');
  }

  /** For moving files aside only (no listing of what earlier runs quarantined). */
  static at(fs: FsLayer, dataDir: string, clock: () => Date = () => new Date()): Quarantine {
    return new Quarantine(fs, dataDir, clock);
  }

  /** Reads what earlier runs quarantined (the reason files), without writing anything. */
  static async load(fs: FsLayer, dataDir: string, clock: () => Date): Promise<Quarantine> {
    const q = new Quarantine(fs, dataDir, clock);
    let names: string[];
    try {
      await checkRealDirectory(fs, q.dir, dataDir);
      names = await fs.readdir(q.dir);
    } catch (error) {
      if (isNotFound(error)) return q;
      throw error;
    }
    for (const name of names.filter((n) => n.endsWith('.reason.json')).sort()) {
      try {
        const parsed = JSON.parse((await fs.readFile(join(q.dir, name), { noFollow: true })).toString('utf8')) as QuarantinedFile;
        if (typeof parsed.file === 'string' && typeof parsed.reason === 'string') q.entries.push({ file: parsed.file, reason: parsed.reason, at: String(parsed.at) });
      } catch {
        q.entries.push({ file: `quarantine/${name.replace(/\.reason\.json$/, '')}`, reason: 'unreadable reason file', at: '' });
      }
    }
    return q;
  }

  /** Records a bad file without moving it (a store opened read-only); returns the notice. */
  note(path: string, reason: string): string {
    const file = relative(this.dataDir, path);
    this.entries.push({ file, reason, at: '' });
    return `${file} cannot be loaded (${reason}); it is moved to quarantine/ the next time Parley opens this folder to save.`;
  }

  /**
   * Moves `path` (inside the data folder) aside with a note saying why. A link is moved as the
   * link itself, never what it points to. Returns the notice to show, or null when the file was
   * already gone.
   */
  async move(path: string, reason: string): Promise<string | null> {
    await this.fs.mkdir(this.dir);
    await checkRealDirectory(this.fs, this.dir, this.dataDir);
    const existing = new Set(await this.fs.readdir(this.dir));
    const name = basename(path);
    let target = name;
    for (let n = 1; existing.has(target) || existing.has(`${target}.reason.json`); n++) target = numbered(name, n);
    try {
      await this.fs.rename(path, join(this.dir, target));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    const entry: QuarantinedFile = { file: `quarantine/${target}`, reason, at: this.clock().toISOString() };
    await writeFileAtomic(this.fs, join(this.dir, `${target}.reason.json`), serialize(entry));
    this.entries.push(entry);
    const shown = relative(this.dataDir, path).startsWith('sessions') ? name : relative(this.dataDir, path);
    return `${shown} could not be loaded (${reason}) and was moved to ${entry.file}.`;
  }
}

/** "a.json" → "a.1.json", "x.journal" → "x.1.journal", "index.log" → "index.1.log". */
function numbered(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}.${n}${name.slice(dot)}` : `${name}.${n}`;
}

/** Why a name that should be a regular file cannot be used. */
export function notRegularReason(kind: NotRegularKind, what: string): string {
  return `${describeNotRegular(kind)} is where the ${what} should be; Parley does not follow links or open special files in its data folder`;
}

/**
 * The data folder's own folders (sessions, trash, quarantine) must be real directories: a link
 * there would send every write outside the data folder. Parley refuses to use the folder rather
 * than move a whole folder of the user's sessions aside.
 */
export async function checkRealDirectory(fs: FsLayer, dir: string, dataDir: string): Promise<void> {
  const st = await fs.lstat(dir);
  if (st.kind === 'directory') return;
  const what = st.kind === 'file' ? 'a file' : describeNotRegular(st.kind === 'link' ? 'link' : 'other');
  throw new ParleyError(
    'UNSUPPORTED',
    `${relative(dataDir, dir)} in the data folder ${dataDir} is ${what}, not a folder. Parley does not follow links inside its data folder; move it away (or make the folder it points to the data folder with --data-dir or PARLEY_DATA_DIR), then start again.`,
  );
}

/** A read-only command must not create a data folder by looking for one: a missing folder is a clear error. */
export async function checkDataFolder(fs: FsLayer, dataDir: string): Promise<void> {
  const st = await fs.lstat(dataDir).catch((error: unknown) => {
    if (isNotFound(error)) return null;
    throw error;
  });
  if (st === null) {
    throw new ParleyError(
      'NOT_FOUND',
      `There is no Parley data folder at ${dataDir}. Check --data-dir or PARLEY_DATA_DIR; the app and commands that save (new, import, say) create it.`,
    );
  }
  if (st.kind === 'file' || st.kind === 'other') throw new ParleyError('INVALID_INPUT', `${dataDir} is not a folder, so it cannot be Parley's data folder.`);
}
