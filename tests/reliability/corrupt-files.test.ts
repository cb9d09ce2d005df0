/**
 * Damaged and foreign files in the data folder, met by the real CLI and preview host: the app
 * starts, lists every good session, moves each bad file to quarantine/ with a reason, tells the
 * user (CLI stderr; `quarantined` in the sessions:list answer over IPC), and deletes nothing.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serialize } from '../../electron/fs/atomic';
import { fixtureId, makeSession, writeFixtureSessions } from '../support/session-fixtures';
import { SESSION_SCHEMA_VERSION, Session } from '../../shared/session';
import { BridgeClient, call, runCliProcess, startHost } from './support/processes';
import { record } from './support/figures';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const GOOD = 6;

interface BadFile {
  name: string;
  make: (path: string) => Promise<void>;
}

/** Every kind of bad file the issue lists, each at a session file's path. */
function badFiles(): BadFile[] {
  const id = (i: number) => fixtureId(100 + i);
  const text = (i: number) => serialize(makeSession(100 + i, { messages: 6 }));
  const kinds: Array<{ name: string; make: (path: string) => Promise<unknown> }> = [
    { name: 'truncated JSON', make: (p) => writeFile(p, text(0).slice(0, 700)) },
    { name: 'zero bytes', make: (p) => writeFile(p, '') },
    {
      name: 'unreadable schema version',
      make: (p) => writeFile(p, text(2).replace(/"schemaVersion": \d+/, '"schemaVersion": "one"')),
    },
    { name: 'not a session (valid JSON, wrong shape)', make: (p) => writeFile(p, '{"hello": "world"}\n') },
    { name: 'a directory where a file should be', make: (p) => mkdir(join(p, 'nested'), { recursive: true }) },
    {
      name: 'invalid UTF-8',
      make: async (p) => {
        const [head, tail] = text(5).split('Our internal project name is');
        await writeFile(p, Buffer.concat([Buffer.from(head!), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(tail!)]));
      },
    },
    {
      name: 'a 200 MB file',
      make: async (p) => {
        const handle = await open(p, 'w');
        await handle.write('{"schemaVersion": 1, "messages": [');
        await handle.truncate(200 * 1024 * 1024); // sparse: 200 MB to read, little disk
        await handle.close();
      },
    },
  ];
  return kinds.map((b, i) => ({ name: b.name, make: async (dir: string) => void (await b.make(join(dir, `${id(i)}.json`))) }));
}

async function fingerprint(path: string): Promise<string> {
  const s = await stat(path);
  if (s.isDirectory()) return `dir:${(await readdir(path)).join(',')}`;
  return `${s.size}:${sha(await readFile(path))}`;
}

describe('corrupt and foreign files (real CLI and preview host)', () => {
  it('starts, lists every good session, quarantines each bad file with a reason and a notice, and deletes nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-rel-corrupt-'));
    dirs.push(dataDir);
    const sessionsDir = join(dataDir, 'sessions');
    const goodIds = await writeFixtureSessions(dataDir, GOOD, { messages: 8 });
    // An older schema (version 0: no schemaVersion, no stageHistory/awaiting/usage) is migrated, not quarantined.
    const old = makeSession(50, { messages: 4 }) as Partial<Session>;
    delete old.schemaVersion;
    delete old.stageHistory;
    delete old.usage;
    delete old.awaiting;
    await writeFile(join(sessionsDir, `${old.id}.json`), JSON.stringify(old));
    // A newer schema is listed read-only and never overwritten.
    const newer = { ...makeSession(60, { messages: 4 }), schemaVersion: 99, fieldFromTheFuture: { x: 1 } };
    const newerText = JSON.stringify(newer);
    await writeFile(join(sessionsDir, `${newer.id}.json`), newerText);

    const bad = badFiles();
    for (const b of bad) await b.make(sessionsDir);
    const before = new Map<string, string>();
    for (const name of await readdir(sessionsDir)) before.set(name, await fingerprint(join(sessionsDir, name)));
    const badNames = (await readdir(sessionsDir)).filter((n) => ![...goodIds, old.id, newer.id].some((id) => n === `${id}.json`));
    expect(badNames).toHaveLength(bad.length);

    // The CLI starts, lists the good ones on stdout and names every bad file on stderr. `list`
    // only reads: the files stay where they are, untouched, for the app to move.
    const run = await runCliProcess(dataDir, ['--json', 'list']);
    expect(run.code, run.err).toBe(0);
    const rows = (JSON.parse(run.out) as { items: Array<{ id: string }> }).items;
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set([...goodIds, old.id!, newer.id]));
    for (const name of badNames) expect(run.err).toContain(`quarantined: sessions/${name}: `);
    for (const name of await readdir(sessionsDir)) expect([name, await fingerprint(join(sessionsDir, name))]).toEqual([name, before.get(name)]);

    // The preview host (which holds the data folder) moves them to quarantine/ and shows the same
    // through IPC: the list and its quarantined notices.
    const host = await startHost(dataDir);
    try {
      const client = await BridgeClient.connect(host);
      const listed = await call<{ items: Array<{ id: string }>; quarantined: Array<{ file: string; reason: string }> }>(client, 'sessions:list');
      expect(listed.items).toHaveLength(GOOD + 2);
      expect(listed.quarantined.map((q) => q.file).sort()).toEqual(badNames.map((n) => `quarantine/${n}`).sort());
      // Each bad file now sits in quarantine/ byte for byte, next to a reason file.
      const quarantine = await readdir(join(dataDir, 'quarantine'));
      for (const name of badNames) {
        expect(quarantine).toContain(name);
        expect(await fingerprint(join(dataDir, 'quarantine', name))).toBe(before.get(name));
        const reason = JSON.parse(await readFile(join(dataDir, 'quarantine', `${name}.reason.json`), 'utf8')) as { reason: string };
        expect(reason.reason.length).toBeGreaterThan(5);
      }
      expect((await readdir(sessionsDir)).sort()).toEqual([...goodIds, old.id, newer.id].map((id) => `${id}.json`).sort());
      // The old file is migrated on read; the newer one is shown read-only and refuses edits.
      const migrated = await call<Session>(client, 'sessions:get', { id: old.id });
      expect(migrated.schemaVersion).toBe(SESSION_SCHEMA_VERSION);
      expect(migrated.stageHistory.length).toBeGreaterThan(0);
      const edit = await client.request('sessions:rename', { id: newer.id, title: 'overwrite me' });
      expect(edit.ok ? null : edit.error.code).toBe('READ_ONLY');
      client.close();
    } finally {
      await host.kill('SIGTERM');
    }
    expect(await readFile(join(sessionsDir, `${newer.id}.json`), 'utf8')).toBe(newerText);
    await record('corrupt.quarantined', badNames.length);
  });
});
