import { join } from 'node:path';
import { ParleyError, describeIssues } from '../../shared/errors';
import { SETTINGS_SCHEMA_VERSION, Settings, SettingsPatch, defaultSettings } from '../../shared/settings';
import { serialize, writeFileAtomic } from '../fs/atomic';
import { isNotFound, isNotRegularFile, nodeFs, type FsLayer } from '../fs/layer';
import { Quarantine, notRegularReason } from './quarantine';
import { saveFailed } from './save-errors';

export interface SettingsStore {
  get(): Promise<Settings>;
  /** Validates the patch, merges it, writes the whole file atomically and returns the result. */
  set(patch: SettingsPatch): Promise<Settings>;
  /** What was wrong with settings.json when it was loaded (fields reset to defaults, newer version…). */
  notices(): string[];
}

export interface SettingsStoreOptions {
  dataDir: string;
  fs?: FsLayer;
  /** Opened by something that only reads: no folder is created, nothing moved, set() refused. */
  readOnly?: boolean;
}

type Shape = typeof Settings.shape;

/**
 * Keeps every field of a damaged settings file that is still valid and resets the others,
 * so that one bad value (say, a hand-edited temperature) does not throw away the user's routing.
 */
export function salvageSettings(raw: unknown): { settings: Settings; dropped: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { settings: defaultSettings(), dropped: ['(whole file)'] };
  const kept: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'schemaVersion') continue;
    const schema = (Settings.shape as Record<string, Shape[keyof Shape] | undefined>)[key];
    if (!schema) continue; // unknown keys are ignored, not reported: a newer Parley may add some
    if (schema.safeParse(value).success) kept[key] = value;
    else dropped.push(key);
  }
  return { settings: Settings.parse(kept), dropped };
}

export async function createSettingsStore(opts: SettingsStoreOptions): Promise<SettingsStore> {
  const fs = opts.fs ?? nodeFs;
  const file = join(opts.dataDir, 'settings.json');
  const notices: string[] = [];
  let current = defaultSettings();
  /** A file from a newer Parley is never overwritten; changes then last for this run only. */
  let persist = true;

  const readOnly = opts.readOnly === true;
  if (!readOnly) await fs.mkdir(opts.dataDir);
  let text: string | null = null;
  try {
    text = (await fs.readFile(file, { noFollow: true })).toString('utf8');
  } catch (error) {
    if (isNotRegularFile(error)) {
      const reason = notRegularReason(error.kind, 'settings file');
      const quarantine = Quarantine.at(fs, opts.dataDir);
      const notice = readOnly ? quarantine.note(file, reason) : await quarantine.move(file, reason);
      if (notice) notices.push(`${notice} Default settings are used.`);
    } else if (!isNotFound(error)) notices.push(`settings.json could not be read (${(error as Error).message}); defaults are used.`);
  }
  if (text !== null) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const version = typeof raw === 'object' && raw !== null && 'schemaVersion' in raw ? raw.schemaVersion : SETTINGS_SCHEMA_VERSION;
    if (raw === undefined) {
      notices.push('settings.json is not valid JSON; default settings are used and the file is replaced on the next change.');
    } else if (typeof version === 'number' && version > SETTINGS_SCHEMA_VERSION) {
      persist = false;
      current = salvageSettings(raw).settings;
      notices.push(`settings.json was written by a newer version of Parley (schema ${version}); it is left untouched and changes made now last until Parley quits.`);
    } else {
      const parsed = Settings.safeParse(raw);
      if (parsed.success) current = parsed.data;
      else {
        const { settings, dropped } = salvageSettings(raw);
        current = settings;
        notices.push(`settings.json had invalid values (${dropped.join(', ') || describeIssues(parsed.error)}); those were reset to their defaults.`);
      }
    }
  }

  let queue: Promise<unknown> = Promise.resolve();

  return {
    async get() {
      return structuredClone(current);
    },
    async set(patch) {
      if (readOnly) throw new ParleyError('READ_ONLY', 'Settings were opened read-only (by a command that only reads); nothing was changed.');
      const parsedPatch = SettingsPatch.strict().safeParse(patch);
      if (!parsedPatch.success) throw new ParleyError('INVALID_INPUT', `Invalid settings: ${describeIssues(parsedPatch.error)}`);
      const merged = Settings.safeParse({ ...current, ...parsedPatch.data });
      if (!merged.success) throw new ParleyError('INVALID_INPUT', `Invalid settings: ${describeIssues(merged.error)}`);
      const next = merged.data;
      const write = queue.then(async () => {
        if (!persist) return;
        try {
          await writeFileAtomic(fs, file, serialize(next));
        } catch (error) {
          throw saveFailed(error, 'the settings', opts.dataDir, 'The previous settings stay in effect and on disk.');
        }
      });
      queue = write.catch(() => undefined);
      await write;
      current = next;
      return structuredClone(next);
    },
    notices: () => [...notices],
  };
}
