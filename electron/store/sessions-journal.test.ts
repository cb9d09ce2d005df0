import { appendFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message, Session } from '../../shared/session';
import { makeSession } from '../../tests/support/session-fixtures';
import { nodeFs, type FsLayer } from '../fs/layer';
import { createSessionStore } from './sessions';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-journal-'));
  dirs.push(dir);
  return dir;
}

const userMessage = (text: string, n: number): Message => ({
  id: `u-${n}`,
  role: 'user',
  text,
  createdAt: `2027-01-01T00:00:0${n}.000Z`,
  status: 'complete',
});
const withMessage = (s: Session, m: Message): Session => ({ ...s, messages: [...s.messages, m], updatedAt: m.createdAt });
const onDisk = async (dir: string, id: string) => JSON.parse(await readFile(join(dir, 'sessions', `${id}.json`), 'utf8')) as Session;
const files = async (dir: string) => (await readdir(join(dir, 'sessions'))).sort();
const journalText = (dir: string, id: string) => readFile(join(dir, 'sessions', `${id}.journal`), 'utf8');

describe('session journal (the first save of a turn)', () => {
  it('makes an appended message durable without rewriting the file, and a restart reads it back', async () => {
    const dir = await tempDir();
    const store = await createSessionStore({ dataDir: dir });
    const base = await store.create(makeSession(1, { messages: 4 }));
    const next = withMessage(base, userMessage('Книга бронирования 📅', 1));
    await store.journal(next);

    expect((await onDisk(dir, base.id)).messages).toHaveLength(4); // the file is untouched
    expect(await files(dir)).toEqual([`${base.id}.journal`, `${base.id}.json`]);
    expect((await store.get(base.id)).messages.at(-1)).toMatchObject({ text: 'Книга бронирования 📅' });
    expect((await store.list({ search: 'бронирования' })).items.map((i) => i.id)).toEqual([base.id]); // searchable at once

    const restarted = await createSessionStore({ dataDir: dir });
    // Listing and search see the journal too, without anything being written by the restart.
    expect((await restarted.list({ search: 'бронирования' })).items.map((i) => i.id)).toEqual([base.id]);
    expect((await restarted.list()).items[0]?.updatedAt).toBe(next.updatedAt);
    expect(await files(dir)).toEqual([`${base.id}.journal`, `${base.id}.json`]);
    const read = await restarted.get(base.id);
    expect(read.messages.map((m) => m.id)).toEqual(next.messages.map((m) => m.id));
    expect(read.updatedAt).toBe(next.updatedAt);
  });

  it('is folded into the file by the next full save, which empties it for the next turn; close removes it', async () => {
    const dir = await tempDir();
    const store = await createSessionStore({ dataDir: dir });
    const base = await store.create(makeSession(2, { messages: 2 }));
    const one = withMessage(base, userMessage('first', 1));
    await store.journal(one);
    const two = withMessage(one, { ...userMessage('reply', 2), role: 'assistant' });
    await store.save(two);
    expect(await files(dir)).toEqual([`${base.id}.journal`, `${base.id}.json`]);
    expect(await journalText(dir, base.id)).toBe('');
    expect((await onDisk(dir, base.id)).messages.map((m) => m.text).slice(-2)).toEqual(['first', 'reply']);

    // The next turn appends to the emptied journal, and a restart reads it.
    const three = withMessage(two, userMessage('again', 3));
    await store.journal(three);
    expect((await journalText(dir, base.id)).split('\n').filter(Boolean)).toHaveLength(1);
    expect((await (await createSessionStore({ dataDir: dir })).get(base.id)).messages.at(-1)?.text).toBe('again');

    await store.close();
    expect(await files(dir)).toEqual([`${base.id}.json`]);
    expect((await onDisk(dir, base.id)).messages.at(-1)?.text).toBe('again');
  });

  it('removes an empty journal left by a run that did not close, at the next start (a read-only start leaves it)', async () => {
    const dir = await tempDir();
    const store = await createSessionStore({ dataDir: dir });
    const base = await store.create(makeSession(7, { messages: 2 }));
    await store.journal(withMessage(base, userMessage('folded', 1)));
    await store.flush(); // no close: as after a crash
    expect(await journalText(dir, base.id)).toBe('');

    const reader = await createSessionStore({ dataDir: dir, readOnly: true });
    expect((await reader.get(base.id)).messages.at(-1)?.text).toBe('folded');
    expect(await files(dir)).toEqual([`${base.id}.journal`, `${base.id}.json`]);
    const next = await createSessionStore({ dataDir: dir });
    expect(await files(dir)).toEqual([`${base.id}.json`]);
    expect((await next.get(base.id)).messages.at(-1)?.text).toBe('folded');
  });

  it('never empties a journal while an append is on its way: the fold waits for it', async () => {
    const dir = await tempDir();
    const gate = { closed: false, open: () => {}, wait: Promise.resolve() };
    const emptiedMidAppend: string[] = [];
    const fs: FsLayer = {
      ...nodeFs,
      // The line is on disk, but journal() has not recorded it yet.
      appendDurable: async (path, data) => {
        await nodeFs.appendDurable(path, data);
        await gate.wait;
      },
      truncate: async (path) => {
        if (gate.closed) emptiedMidAppend.push(path);
        gate.open();
        return nodeFs.truncate(path);
      },
      // Once the fold's file is in place and everything it would do at once is done, the append may finish.
      rename: async (from, to) => {
        await nodeFs.rename(from, to);
        if (gate.closed && to.endsWith('.json')) setImmediate(() => gate.open());
      },
    };
    const store = await createSessionStore({ dataDir: dir, fs, checkpointMs: 600_000 });
    const base = await store.create(makeSession(8, { messages: 2 }));
    const one = withMessage(base, userMessage('one', 1));
    await store.journal(one);
    gate.closed = true;
    gate.wait = new Promise<void>((resolve) => (gate.open = () => ((gate.closed = false), resolve())));
    const two = withMessage(one, { ...userMessage('two', 2), role: 'assistant' });
    const appending = store.journal(two);
    const folding = store.flush(); // folds `one`, the newest version whose append finished
    await Promise.all([appending, folding]);
    expect(emptiedMidAppend).toEqual([]);
    // What was acknowledged is on disk without another write.
    const restarted = await createSessionStore({ dataDir: dir, readOnly: true });
    expect((await restarted.get(base.id)).messages.map((m) => m.text).slice(-2)).toEqual(['one', 'two']);
  });

  it('ignores a line torn by a crash and never duplicates a message already in the file', async () => {
    const dir = await tempDir();
    const store = await createSessionStore({ dataDir: dir });
    const base = await store.create(makeSession(3, { messages: 2 }));
    const one = withMessage(base, userMessage('kept', 1));
    await store.journal(one);
    // A stale line for a message the file already has, then half a line.
    await appendFile(join(dir, 'sessions', `${base.id}.journal`), `${JSON.stringify({ updatedAt: base.updatedAt, messages: [base.messages[0]] })}\n{"updatedAt":"2027`);
    const read = await (await createSessionStore({ dataDir: dir })).get(base.id);
    expect(read.messages.map((m) => m.text)).toEqual([...base.messages.map((m) => m.text), 'kept']);
  });

  it('goes to the trash inside the file, so undo brings the message back', async () => {
    const dir = await tempDir();
    const store = await createSessionStore({ dataDir: dir });
    const base = await store.create(makeSession(4, { messages: 2 }));
    await store.journal(withMessage(base, userMessage('do not lose me', 1)));
    await store.delete(base.id);
    expect(await files(dir)).toEqual([]);
    const back = await store.restore(base.id);
    expect(back.messages.at(-1)?.text).toBe('do not lose me');
  });

  it('falls back to a full save when the journal cannot be written, reporting SAVE_FAILED like save()', async () => {
    const dir = await tempDir();
    const state = { broken: false };
    const fail = () => Promise.reject(Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' }));
    const fs: FsLayer = {
      ...nodeFs,
      appendDurable: (path, data) => (state.broken ? fail() : nodeFs.appendDurable(path, data)),
      createExclusive: (path) => (state.broken && path.includes('sessions') ? fail() : nodeFs.createExclusive(path)),
    };
    const store = await createSessionStore({ dataDir: dir, fs });
    const base = await store.create(makeSession(5, { messages: 2 }));
    state.broken = true;
    const next = withMessage(base, userMessage('typed while the disk was full', 1));
    await expect(store.journal(next)).rejects.toMatchObject({ code: 'SAVE_FAILED' });
    expect((await store.get(base.id)).messages.at(-1)?.text).toBe('typed while the disk was full');
    state.broken = false;
    await store.flush();
    expect((await onDisk(dir, base.id)).messages.at(-1)?.text).toBe('typed while the disk was full');
  });

  it('rewrites the file shortly after a journaled save, and says so when that rewrite fails', async () => {
    const dir = await tempDir();
    const state = { broken: false };
    const fs: FsLayer = {
      ...nodeFs,
      createExclusive: (path) =>
        state.broken && path.includes('sessions') ? Promise.reject(Object.assign(new Error('EACCES: simulated'), { code: 'EACCES' })) : nodeFs.createExclusive(path),
    };
    const store = await createSessionStore({ dataDir: dir, fs });
    const base = await store.create(makeSession(6, { messages: 2 }));
    // The checkpoint delay runs on a fake clock: nothing is flushed by hand, the timer does it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await store.journal(withMessage(base, userMessage('checkpointed', 1)));
      await vi.advanceTimersByTimeAsync(1400);
      expect((await onDisk(dir, base.id)).messages.at(-1)?.text).not.toBe('checkpointed');
      await vi.advanceTimersByTimeAsync(100);
      await vi.waitFor(async () => expect(await journalText(dir, base.id)).toBe(''));
      expect((await onDisk(dir, base.id)).messages.at(-1)?.text).toBe('checkpointed');

      state.broken = true;
      await store.journal(withMessage(await store.get(base.id), userMessage('safe in the journal', 2)));
      await vi.advanceTimersByTimeAsync(1500);
      await vi.waitFor(() => expect(store.notices().some((n) => n.includes(base.id) && n.includes('journal'))).toBe(true));
    } finally {
      vi.useRealTimers();
    }
    const restarted = await createSessionStore({ dataDir: dir });
    expect((await restarted.get(base.id)).messages.at(-1)?.text).toBe('safe in the journal');
    state.broken = false;
    await store.flush();
    expect((await onDisk(dir, base.id)).messages.at(-1)?.text).toBe('safe in the journal');
  });
});
