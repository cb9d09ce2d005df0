/**
 * No following links in the data folder. A symbolic link (to a file outside, or to a name that
 * does not exist yet), a directory or a FIFO is planted at every file name the store uses, before
 * the app starts and while it runs. Parley must change nothing outside the data folder, answer
 * every request with a typed result (never INTERNAL), and move the planted thing to quarantine/
 * with a reason. A link or file where one of its folders belongs stops it with a clear error.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../electron/backend';
import { createNodeSecretStore } from '../../electron/secrets';
import { dispatch } from '../../electron/rpc';
import type { Channel, ChannelInput, EventPayload } from '../../shared/ipc';
import { ParleyError, type Envelope } from '../../shared/errors';
import type { Session } from '../../shared/session';

type Plant = 'link to a file outside' | 'link to a missing name outside' | 'directory' | 'fifo';
const PLANTS: Plant[] = ['link to a file outside', 'link to a missing name outside', 'directory', 'fifo'];
const canFifo = spawnSync('mkfifo', ['--version']).status === 0;

let root: string;
let template: string;
/** Sessions in the template: A and B live, C in the trash. */
const ids = { a: '', b: '', c: '' };

async function open(dataDir: string): Promise<Backend> {
  return createBackend({ dataDir, host: 'cli', version: '0.0.0-test', secrets: await createNodeSecretStore({ dataDir, env: {} }) });
}

async function call<C extends Channel>(backend: Backend, channel: C, input: ChannelInput<C> | undefined, seen: Envelope[]): Promise<Envelope> {
  const envelope = await dispatch(backend.handlers, channel, input);
  seen.push(envelope);
  return envelope;
}

/** Sends a turn and waits for its done or error event. */
async function turn(backend: Backend, sessionId: string, text: string, seen: Envelope[]): Promise<string> {
  const ended = new Promise<string>((resolve) =>
    backend.onEvent((event, payload) => {
      if (event === 'turn:done') resolve('done');
      if (event === 'turn:error') resolve(`error ${(payload as EventPayload<'turn:error'>).error.code}`);
    }),
  );
  const sent = await call(backend, 'turn:send', { sessionId, text }, seen);
  return sent.ok ? ended : `refused ${sent.error.code}`;
}

/** Every file and link under `dir` with a hash of its content: what "nothing changed" is checked against. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const name of (await readdir(d)).sort()) {
      const p = join(d, name);
      const st = await lstat(p);
      if (st.isDirectory()) {
        out[p] = 'dir';
        await walk(p);
      } else if (st.isSymbolicLink()) out[p] = `link ${await readlink(p)}`;
      else out[p] = `${st.mode.toString(8)} ${createHash('sha256').update(await readFile(p)).digest('hex')}`;
    }
  };
  await walk(dir);
  return out;
}

async function plant(kind: Plant, at: string, outside: string): Promise<void> {
  if (kind === 'link to a file outside') await symlink(join(outside, 'victim.txt'), at);
  else if (kind === 'link to a missing name outside') await symlink(join(outside, 'created-through-a-link'), at);
  else if (kind === 'directory') await mkdir(at);
  else expect(spawnSync('mkfifo', [at]).status).toBe(0);
}

async function reasons(dataDir: string): Promise<string[]> {
  const names = await readdir(join(dataDir, 'quarantine')).catch(() => [] as string[]);
  const out: string[] = [];
  for (const n of names.filter((x) => x.endsWith('.reason.json'))) out.push((JSON.parse(await readFile(join(dataDir, 'quarantine', n), 'utf8')) as { file: string; reason: string }).reason);
  return out;
}

async function scenario(name: string, kind: Plant) {
  const dir = await mkdtemp(join(root, 'case-'));
  const dataDir = join(dir, 'data');
  const outside = join(dir, 'outside');
  await cp(template, dataDir, { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'victim.txt'), 'the user’s own file, not Parley’s\n');
  await mkdir(join(outside, 'a-folder'));
  return { dataDir, outside, path: join(dataDir, name.replace('<a>', ids.a).replace('<b>', ids.b).replace('<c>', ids.c)), kind };
}

/** What a user does in one run: list, search, read, talk, rename, settings, delete and undo, restore. */
async function useTheApp(backend: Backend, seen: Envelope[]): Promise<void> {
  await call(backend, 'sessions:list', undefined, seen);
  await call(backend, 'sessions:list', { search: 'support' }, seen);
  for (const id of [ids.a, ids.b]) await call(backend, 'sessions:get', { id }, seen);
  await turn(backend, ids.b, 'It should sound friendly and calm', seen);
  await call(backend, 'sessions:rename', { id: ids.b, title: 'Renamed after planting' }, seen);
  await call(backend, 'settings:set', { temperature: 0.4 }, seen);
  await call(backend, 'sessions:delete', { id: ids.b }, seen);
  await call(backend, 'sessions:restore', { id: ids.b }, seen);
  await call(backend, 'sessions:restore', { id: ids.c }, seen);
  await call(backend, 'app:notices', undefined, seen);
}

const internal = (seen: Envelope[]) => seen.filter((e) => !e.ok && e.error.code === 'INTERNAL').map((e) => (e.ok ? '' : e.error.message));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'parley-rel-planted-'));
  template = join(root, 'template');
  const backend = await open(template);
  const seen: Envelope[] = [];
  for (const key of ['a', 'b', 'c'] as const) {
    const created = await call(backend, 'sessions:create', { provider: 'offline' }, seen);
    if (!created.ok) throw new Error(created.error.message);
    ids[key] = (created.value as Session).id;
    expect(await turn(backend, ids[key], 'A customer support agent for an online shop', seen)).toBe('done');
  }
  await call(backend, 'settings:set', { temperature: 0.5 }, seen);
  await call(backend, 'sessions:delete', { id: ids.c }, seen);
  await call(backend, 'sessions:list', { search: 'support' }, seen); // writes the search log
  await backend.close();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const FILE_NAMES = ['sessions/<a>.json', 'sessions/<b>.journal', 'index.json', 'index.log', 'search.log', 'settings.json', 'trash/<c>.json'];

describe('planted links, directories and FIFOs in the data folder', () => {
  for (const name of FILE_NAMES) {
    for (const kind of PLANTS) {
      it.skipIf(kind === 'fifo' && !canFifo)(`${kind} at ${name}, before start: nothing outside changes, no INTERNAL, moved to quarantine with a reason`, async () => {
        const c = await scenario(name, kind);
        await rm(c.path, { force: true });
        await plant(kind, c.path, c.outside);
        const before = await snapshot(c.outside);
        const seen: Envelope[] = [];
        const first = await open(c.dataDir);
        await useTheApp(first, seen);
        await first.close();
        const second = await open(c.dataDir);
        await call(second, 'sessions:list', { search: 'friendly' }, seen);
        await call(second, 'sessions:get', { id: ids.b }, seen);
        await second.close();

        expect(await snapshot(c.outside)).toEqual(before);
        expect(internal(seen)).toEqual([]);
        const why = kind === 'directory' ? /a directory is where/ : kind === 'fifo' ? /a special file .* is where/ : /a symbolic link is where/;
        expect((await reasons(c.dataDir)).some((r) => why.test(r))).toBe(true);
        // The conversation typed after planting was kept (on B, unless B's own file was the one replaced).
        const b = await dispatch(second.handlers, 'sessions:get', { id: ids.b });
        expect(b.ok && (b.value as Session).messages.some((m) => m.text === 'It should sound friendly and calm')).toBe(true);
      });
    }
  }

  for (const name of ['sessions/<b>.journal', 'index.log', 'search.log']) {
    for (const kind of PLANTS) {
      it.skipIf(kind === 'fifo' && !canFifo)(`${kind} at ${name} while the app runs: appends never go through it`, async () => {
        const c = await scenario(name, kind);
        const seen: Envelope[] = [];
        const backend = await open(c.dataDir);
        await call(backend, 'sessions:list', { search: 'support' }, seen); // index and search log loaded
        await call(backend, 'sessions:get', { id: ids.b }, seen); // B's file read, nothing journaled yet
        await rm(c.path, { force: true });
        await plant(kind, c.path, c.outside);
        const before = await snapshot(c.outside);
        expect(await turn(backend, ids.b, 'It should sound friendly and calm', seen)).toBe('done');
        await call(backend, 'sessions:rename', { id: ids.a, title: 'Renamed while planted' }, seen);
        await backend.close();
        expect(await snapshot(c.outside)).toEqual(before);
        expect(internal(seen)).toEqual([]);

        const again = await open(c.dataDir);
        const b = await dispatch(again.handlers, 'sessions:get', { id: ids.b });
        expect(b.ok && (b.value as Session).messages.some((m) => m.text === 'It should sound friendly and calm')).toBe(true);
        const listed = await dispatch(again.handlers, 'sessions:list', { search: 'planted' });
        expect(listed.ok && (listed.value as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual([ids.a]);
        await again.close();
      });
    }
  }

  for (const folder of ['sessions', 'trash', 'quarantine']) {
    it(`a link at ${folder}/ stops Parley with a clear error and nothing outside changes`, async () => {
      const c = await scenario(folder, 'directory');
      await rm(c.path, { recursive: true, force: true });
      await cp(join(template, folder === 'quarantine' ? 'trash' : folder), join(c.outside, 'a-folder', folder), { recursive: true });
      await symlink(join(c.outside, 'a-folder', folder), c.path);
      const before = await snapshot(c.outside);
      const opened = await open(c.dataDir).then(
        async (b) => {
          await b.close();
          return null;
        },
        (e: unknown) => e,
      );
      expect(opened).toBeInstanceOf(ParleyError);
      expect((opened as ParleyError).code).toBe('UNSUPPORTED');
      expect((opened as ParleyError).message).toMatch(new RegExp(`${folder} in the data folder .* is a symbolic link`));
      expect(await snapshot(c.outside)).toEqual(before);
    });
  }
});
