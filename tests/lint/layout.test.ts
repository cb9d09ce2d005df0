import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The README's Layout section and docs/ARCHITECTURE.md describe the tree as it is. */

const root = resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** The code block under "## Layout" in the README. */
function readmeLayout(): string {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Layout'));
  const block = /```\n([\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error('README has no Layout code block');
  return block[1];
}

/** electron/'s own entries: folders, and product files (tests live beside them). */
function electronEntries(): string[] {
  return readdirSync(join(root, 'electron'))
    .filter((name) => !/\.test\.tsx?$/.test(name))
    .map((name) => (statSync(join(root, 'electron', name)).isDirectory() ? `${name}/` : name))
    .sort();
}

describe('layout documentation matches the tree', () => {
  it('the README Layout lists every folder and file directly under electron/, and nothing that is gone', () => {
    const block = readmeLayout();
    const listed = [...block.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!).sort();
    expect(listed).toEqual(electronEntries());
  });

  it('the README Layout lists every top-level source folder', () => {
    const block = readmeLayout();
    const listed = new Set([...block.matchAll(/^(\S+\/)/gm)].map((m) => m[1]!));
    for (const dir of ['shared/', 'electron/', 'renderer/', 'docs/', 'build/', 'scripts/', 'tests/']) {
      expect(existsSync(join(root, dir)), dir).toBe(true);
      expect(listed.has(dir), dir).toBe(true);
    }
  });

  it('docs/ARCHITECTURE.md names only paths that exist, and every folder under electron/', () => {
    const doc = read('docs/ARCHITECTURE.md');
    const paths = [...doc.matchAll(/`((?:electron|shared|renderer|tests|build)\/[\w./-]*)`/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(20);
    for (const p of paths) expect(existsSync(join(root, p)), p).toBe(true);
    for (const entry of electronEntries().filter((e) => e.endsWith('/'))) expect(doc, entry).toContain(entry);
  });
});
