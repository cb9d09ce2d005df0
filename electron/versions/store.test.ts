import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { goldenBase, GOLDENS } from '../../tests/support/version-goldens';
import { designOf, type Design } from './design';
import { VersionStore } from './store';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function open(options: { readOnly?: boolean; dataDir?: string } = {}) {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-versions-')));
  if (!options.dataDir) dirs.push(dataDir);
  return { dataDir, store: new VersionStore({ dataDir, readOnly: options.readOnly, clock: () => new Date('2027-01-01T00:00:00Z') }) };
}

const base = goldenBase();
const id = base.id;
const meta = (n: number) => ({ at: `2027-01-01T00:00:0${n}.000Z`, cause: 'edit' as const, summary: `change ${n}` });
const designs: Design[] = [designOf(base), ...GOLDENS.map((g) => ({ ...designOf(base), spec: g.change(structuredClone(base.spec)) }))];

describe('version store', () => {
  it('gives every version back exactly, from this run and after reopening', async () => {
    const { dataDir, store } = await open();
    for (const [n, design] of designs.entries()) await store.append(id, design, meta(n));
    const again = (await open({ dataDir })).store;
    for (const s of [store, again]) {
      expect((await s.list(id)).map((v) => v.id)).toEqual(designs.map((_, n) => `v${n + 1}`));
      for (const [n, design] of designs.entries()) expect(await s.design(id, `v${n + 1}`)).toEqual(design);
    }
  });

  it('grows with the change: a one-word prompt edit costs a line of a few hundred bytes', async () => {
    const { store } = await open();
    await store.append(id, designs[0]!, meta(0));
    const before = (await stat(store.pathOf(id))).size;
    await store.append(id, designs[4]!, meta(1)); // the prompt edit
    const added = (await stat(store.pathOf(id))).size - before;
    expect(added).toBeLessThan(400);
    expect(before).toBeGreaterThan(added * 5);
  });

  it('replaces the newest version when amending (a batch of edits), keeping the one before', async () => {
    const { dataDir, store } = await open();
    await store.append(id, designs[0]!, meta(0));
    await store.append(id, designs[1]!, meta(1));
    await store.append(id, designs[2]!, { ...meta(2), summary: 'batch' }, { amend: true });
    const again = (await open({ dataDir })).store;
    expect((await again.list(id)).map((v) => [v.id, v.summary])).toEqual([
      ['v1', 'change 0'],
      ['v2', 'batch'],
    ]);
    expect(await again.design(id, 'v2')).toEqual(designs[2]);
    expect(await again.design(id, 'v1')).toEqual(designs[0]);
  });

  it('drops a line torn by a crash and rewrites the file without it before the next version', async () => {
    const { dataDir, store } = await open();
    await store.append(id, designs[0]!, meta(0));
    await store.append(id, designs[1]!, meta(1));
    await appendFile(store.pathOf(id), '{"n":3,"at":"2027-01-01T00:00:09.000Z","cause":"ed');
    const reopened = (await open({ dataDir })).store;
    expect((await reopened.list(id)).map((v) => v.id)).toEqual(['v1', 'v2']);
    await reopened.append(id, designs[3]!, meta(3));
    const again = (await open({ dataDir })).store;
    expect((await again.list(id)).map((v) => v.id)).toEqual(['v1', 'v2', 'v3']);
    expect(await again.design(id, 'v3')).toEqual(designs[3]);
    expect(again.notices()).toEqual([]);
  });

  it('quarantines a damaged history, says so, and starts a new one; the data folder keeps the old file', async () => {
    for (const damage of [
      (text: string) => text.replace('"n":2', '"n":7'),
      (text: string) => text.split('\n').map((l, i) => (i === 1 ? l.slice(0, 40) : l)).join('\n'),
      (text: string) => text.replace(/"j":"\{/, '"j":"{ '), // a blob that no longer matches its hash
    ]) {
      const { dataDir, store } = await open();
      await store.append(id, designs[0]!, meta(0));
      await store.append(id, designs[1]!, meta(1));
      await writeFile(store.pathOf(id), damage(await readFile(store.pathOf(id), 'utf8')));

      const readOnly = (await open({ dataDir, readOnly: true })).store;
      expect(await readOnly.list(id)).toEqual([]);
      expect(readOnly.noticeFor(id)).toMatch(/could not be read/);
      expect(await readdir(join(dataDir, 'versions'))).toEqual([`${id}.versions`]); // read-only: nothing moved

      const reopened = (await open({ dataDir })).store;
      expect(await reopened.list(id)).toEqual([]);
      expect(reopened.notices()).toEqual([expect.stringMatching(/moved to quarantine/)]);
      expect(await readdir(join(dataDir, 'quarantine'))).toEqual([`${id}.versions`, `${id}.versions.reason.json`]);
      await reopened.append(id, designs[2]!, meta(2));
      expect((await (await open({ dataDir })).store.list(id)).map((v) => v.id)).toEqual(['v1']);
    }
  });

  it('quarantines a directory or a link where the history belongs, without following it', async () => {
    const { dataDir, store } = await open();
    const { mkdir, symlink } = await import('node:fs/promises');
    await mkdir(join(dataDir, 'versions', `${id}.versions`), { recursive: true });
    expect(await store.list(id)).toEqual([]);
    expect(store.noticeFor(id)).toMatch(/could not be read \(a directory/);
    const other = (await open()).store;
    await mkdir(join(other.pathOf(id), '..'), { recursive: true });
    await writeFile(join(dataDir, 'elsewhere'), 'not a history');
    await symlink(join(dataDir, 'elsewhere'), other.pathOf(id));
    expect(await other.list(id)).toEqual([]);
    expect(other.noticeFor(id)).toMatch(/could not be read/);
    expect(await readFile(join(dataDir, 'elsewhere'), 'utf8')).toBe('not a history');
  });
});
