import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeword, fixtureId, makeSession, writeFixtureSessions } from '../../tests/support/session-fixtures';
import { createSessionStore } from './sessions';

/** 10,000 sessions written straight to disk (fewer messages each, so the suite stays quick). */
const COUNT = 10_000;
let dataDir = '';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parley-scale-'));
  await writeFixtureSessions(dataDir, COUNT, { messages: 32 });
}, 180_000);
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('10,000 sessions', () => {
  it('builds the index, then lists and finds a word from a message of session 9,000', async () => {
    const store = await createSessionStore({ dataDir, verifyOnOpen: false });
    const page = await store.list({ limit: 3 });
    expect(page.total).toBe(COUNT);
    expect(page.items.map((s) => s.id)).toEqual([9999, 9998, 9997].map(fixtureId));
    const found = await store.list({ search: codeword(9000) });
    expect(found.items.map((s) => s.id)).toEqual([fixtureId(9000)]);
    expect((await store.get(fixtureId(9000))).messages.some((m) => m.text.includes(codeword(9000)))).toBe(true);
    await store.flush();
  }, 180_000);

  it('rebuilds a deleted index and repairs a stale entry', async () => {
    await unlink(join(dataDir, 'index.json'));
    const rebuilt = await createSessionStore({ dataDir, verifyOnOpen: false });
    expect((await rebuilt.list({ search: codeword(9000) })).items.map((s) => s.id)).toEqual([fixtureId(9000)]);
    await rebuilt.flush();

    // Made stale: session 9,000 rewritten behind the index's back with a new word.
    const changed = makeSession(9000, { messages: 32 });
    changed.messages[31]!.text = 'now about a zebrafinchery'; // replaces the message holding the codeword
    await writeFile(join(dataDir, 'sessions', `${changed.id}.json`), JSON.stringify(changed));
    const stale = await createSessionStore({ dataDir });
    await stale.flush(); // background verification
    expect((await stale.list({ search: 'zebrafinchery' })).items.map((s) => s.id)).toEqual([fixtureId(9000)]);
    expect((await stale.list({ search: codeword(9000) })).total).toBe(0);
    expect((await stale.list()).total).toBe(COUNT);
  }, 180_000);
});
