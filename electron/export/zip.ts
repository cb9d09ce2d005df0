import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { ParleyError } from '../../shared/errors';
import type { ProjectFile } from './types';

/**
 * Project exports as a .zip: the same bytes for the same files (a fixed timestamp, entries in
 * the order given), so a re-export that changed nothing is byte-identical. Pure, in memory;
 * projects are a few kilobytes.
 */
// Zip times are local wall-clock fields: built from local parts, they are the same bytes in every time zone.
const FIXED_MTIME = new Date(1980, 0, 1, 12, 0, 0);

/** A zip of project files; a path ending in "/" becomes a folder entry. */
export function zipProject(files: readonly ProjectFile[]): Uint8Array {
  const entries: Zippable = {};
  for (const file of files) {
    // fflate stores a key ending in "/" with empty data as a folder entry.
    entries[file.path] = [file.path.endsWith('/') ? new Uint8Array(0) : strToU8(file.content), { mtime: FIXED_MTIME, level: 6 }];
  }
  return zipSync(entries, { mtime: FIXED_MTIME });
}

/** Limits for reading a .zip someone hands us: agent projects are small, and nothing may escape its root. */
export const MAX_ZIP_ENTRIES = 2000;
export const MAX_UNZIPPED_BYTES = 20 * 1024 * 1024;

/** Text files of a project .zip by relative path (folders and a single wrapping folder removed). */
export function unzipProject(bytes: Uint8Array): Map<string, string> {
  let raw: Record<string, Uint8Array>;
  let total = 0;
  let count = 0;
  try {
    raw = unzipSync(bytes, {
      filter: (file) => {
        count++;
        total += file.originalSize;
        if (count > MAX_ZIP_ENTRIES || total > MAX_UNZIPPED_BYTES) throw new ParleyError('INVALID_INPUT', 'The .zip is too large to be an agent project.');
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ParleyError) throw error;
    throw new ParleyError('INVALID_INPUT', `The file is not a readable .zip (${error instanceof Error ? error.message : 'unknown error'}).`);
  }
  const files = new Map<string, string>();
  for (const [name, data] of Object.entries(raw)) {
    const path = name.replace(/\\/g, '/');
    if (path.endsWith('/')) continue;
    if (path.startsWith('/') || path.split('/').some((part) => part === '..')) {
      throw new ParleyError('INVALID_INPUT', `The .zip holds an unsafe path (${name}); it is not a Parley or ElevenLabs project.`);
    }
    files.set(path, strFromU8(data).replace(/^\uFEFF/, ''));
  }
  return stripWrapper(files);
}

/** Zips made by "compress this folder" wrap everything in one folder: read the project inside it. */
function stripWrapper(files: Map<string, string>): Map<string, string> {
  if (files.has('agents.json')) return files;
  const roots = new Set([...files.keys()].map((p) => p.split('/')[0]));
  const [root] = roots;
  if (roots.size !== 1 || !root || !files.has(`${root}/agents.json`)) return files;
  return new Map([...files].map(([p, c]) => [p.slice(root.length + 1), c]));
}
