import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ParleyError } from '../../shared/errors';
import { MAX_FILE_BYTES } from '../../shared/limits';
import { unzipProject, zipProject } from '../export/zip';
import type { ProjectFile } from '../export/types';
import { readTextFile } from './guarded-read';
import { describeNotRegular, nodeFs, type FsLayer } from './layer';
import { readImportFile, writeExportFile } from './user-files';

/**
 * The I/O shell around project exports (ElevenLabs agents-as-code): the exporter is pure and
 * returns files; this reads what is already at a destination (a re-export keeps the ids a
 * deploy wrote there) and writes the files as a folder or a .zip.
 */

/** The files of a project Parley reads; .env (the user's own credentials) never is. */
const ROOT_FILES = ['agents.json', 'tools.json', 'tests.json', 'knowledge_base.json', '.gitignore', '.env.example'];
const CONFIG_DIRS = ['agent_configs', 'tool_configs', 'test_configs'];
const MAX_CONFIG_FILES = 2000;

/** The files readProjectDir reads, by relative path: the same view of a folder and of a .zip. */
export function isProjectFile(rel: string): boolean {
  if (ROOT_FILES.includes(rel)) return true;
  const [dir, name, ...more] = rel.split('/');
  return !more.length && !!dir && CONFIG_DIRS.includes(dir) && !!name && name.endsWith('.json');
}

export function isZipPath(target: string): boolean {
  return /\.zip$/i.test(target);
}

async function readText(fs: FsLayer, file: string): Promise<string | undefined> {
  const read = await readTextFile(fs, file, MAX_FILE_BYTES);
  switch (read.kind) {
    case 'missing':
    case 'not-a-file':
      return undefined;
    case 'too-large':
      throw new ParleyError('INVALID_INPUT', `${file} is larger than an agent project file can be.`);
    case 'not-utf8':
      throw new ParleyError('INVALID_INPUT', `${file} is not a UTF-8 text file.`);
    case 'text':
      return read.text.replace(/^\uFEFF/, '');
  }
}

/** The project files of a folder by relative path ("/" separators); empty when there is no such folder. */
export async function readProjectDir(dir: string, fs: FsLayer = nodeFs): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of ROOT_FILES) {
    const text = await readText(fs, path.join(dir, name));
    if (text !== undefined) files.set(name, text);
  }
  let count = 0;
  for (const sub of CONFIG_DIRS) {
    const names = await fs.readdir(path.join(dir, sub)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      if (++count > MAX_CONFIG_FILES) throw new ParleyError('INVALID_INPUT', `${dir} holds more config files than an agent project does.`);
      const text = await readText(fs, path.join(dir, sub, name));
      if (text !== undefined) files.set(`${sub}/${name}`, text);
    }
  }
  return files;
}

export async function readProjectZip(file: string, fs: FsLayer = nodeFs): Promise<Map<string, string>> {
  const info = await fs.stat(file).catch(() => null);
  if (info?.kind !== 'file') throw new ParleyError('INVALID_INPUT', `Cannot read ${file}: no such file.`);
  if (info.size > MAX_FILE_BYTES) throw new ParleyError('INVALID_INPUT', `${file} is too large to be an agent project.`);
  const all = unzipProject(new Uint8Array(await fs.readFile(file)));
  return new Map([...all].filter(([rel]) => isProjectFile(rel)));
}

/** What is already where a project export goes (nothing when the folder or .zip does not exist yet). */
export async function readExistingProject(target: string, fs: FsLayer = nodeFs): Promise<Map<string, string>> {
  if (isZipPath(target)) {
    const info = await fs.stat(target).catch(() => null);
    return info?.kind === 'file' ? readProjectZip(target, fs) : new Map();
  }
  return readProjectDir(target, fs);
}

export interface WriteProjectOptions {
  /** Replace an existing .zip, or write into a non-empty folder that is not an agents project. */
  force?: boolean;
}

/**
 * Writes project files to `target`: a .zip when it ends in ".zip", else a folder (created if
 * its parent exists). A folder that already is an agents project (it has agents.json) is
 * updated in place, which is how a re-export keeps the deploy's ids; any other non-empty folder
 * needs `force`. Each file is written atomically. Returns the absolute path.
 */
export async function writeProject(target: string, files: readonly ProjectFile[], options: WriteProjectOptions = {}): Promise<string> {
  if (!target) throw new ParleyError('INVALID_INPUT', 'Give a folder, or a file name ending in .zip.');
  if (isZipPath(target)) return writeExportFile(target, zipProject(files), { force: options.force });

  const root = path.resolve(target);
  const info = await nodeFs.stat(root).catch(() => null);
  if (info && info.kind !== 'directory') throw new ParleyError('CONFLICT', `${root} is a file; give a folder (or a name ending in .zip).`);
  if (info) {
    const entries = await nodeFs.readdir(root);
    if (entries.length && !entries.includes('agents.json') && !options.force) {
      throw new ParleyError('CONFLICT', `${root} is not empty and is not an ElevenLabs agents project; choose an empty or new folder, or write into it anyway (--force).`);
    }
  } else {
    const parent = await nodeFs.stat(path.dirname(root)).catch(() => null);
    if (parent?.kind !== 'directory') throw new ParleyError('INVALID_INPUT', `The folder ${path.dirname(root)} does not exist; create it or choose another location.`);
  }
  for (const file of files) {
    const out = path.resolve(root, file.path);
    if (out !== root && !out.startsWith(root + path.sep)) throw new ParleyError('INVALID_INPUT', `Refusing to write ${file.path} outside ${root}.`);
    const folder = file.path.endsWith('/') ? out : path.dirname(out);
    await fsp.mkdir(folder, { recursive: true });
    await refuseLinkedFolders(root, folder);
    if (!file.path.endsWith('/')) await writeExportFile(out, file.content, { force: true });
  }
  return root;
}

/** Every folder from `root` down to `folder` is a real folder: a planted link (agent_configs → /etc) would lead the writes elsewhere. */
async function refuseLinkedFolders(root: string, folder: string): Promise<void> {
  let dir = folder;
  while (dir !== root && dir.startsWith(root + path.sep)) {
    const info = await nodeFs.lstat(dir);
    if (info.kind !== 'directory') {
      const what = info.kind === 'link' ? describeNotRegular('link') : 'not a folder';
      throw new ParleyError('INVALID_INPUT', `${dir} is ${what}; Parley writes a project only into real folders, never through a link.`);
    }
    dir = path.dirname(dir);
  }
}

/** What `parley import` was pointed at. */
export type ImportSource = { kind: 'text'; text: string } | { kind: 'project'; files: Map<string, string>; agent?: string };

function toolIdsOf(text: string): string[] {
  try {
    const data = JSON.parse(text) as { conversation_config?: { agent?: { prompt?: { tool_ids?: unknown } } } };
    const ids = data.conversation_config?.agent?.prompt?.tool_ids;
    return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * An import source: a project folder, a project .zip, or one file. An agent file whose
 * tool_ids name tools is read together with the tool configs beside it: the project it sits in
 * (agent_configs/ under a folder with tools.json), a tools.json next to it, or a tool_configs/
 * folder next to it.
 */
export async function readImportSource(target: string, fs: FsLayer = nodeFs): Promise<ImportSource> {
  const info = await fs.stat(target).catch(() => null);
  if (info?.kind === 'directory') {
    const files = await readProjectDir(target, fs);
    if (!files.has('agents.json') && ![...files.keys()].some((p) => p.startsWith('agent_configs/'))) {
      throw new ParleyError('INVALID_INPUT', `${target} is not an ElevenLabs agents project (no agents.json).`);
    }
    return { kind: 'project', files };
  }
  if (isZipPath(target)) return { kind: 'project', files: await readProjectZip(target, fs) };

  const text = await readImportFile(target, fs);
  if (!toolIdsOf(text).length) return { kind: 'text', text };
  const dir = path.dirname(path.resolve(target));
  const name = path.basename(target);
  if (path.basename(dir) === 'agent_configs' && (await fs.stat(path.join(dir, '..', 'tools.json')).catch(() => null))) {
    return { kind: 'project', files: await readProjectDir(path.dirname(dir), fs), agent: `agent_configs/${name}` };
  }
  const beside = await readProjectDir(dir, fs);
  const hasTools = beside.has('tools.json') || [...beside.keys()].some((p) => p.startsWith('tool_configs/'));
  if (!hasTools) return { kind: 'text', text };
  beside.set(name, text);
  return { kind: 'project', files: beside, agent: name };
}
