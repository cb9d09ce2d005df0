import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeysStatus } from '../../shared/keys';

/** The real OS keychain (Secret Service via gnome-keyring) through keytar: no mock. */

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const child = join(repoRoot, 'tests/support/keychain-child.ts');
const PLANTED = 'sk-test-PLANTED-keychain-0123456789abcdef';

interface ChildResult {
  before: KeysStatus;
  setError: { code: string; message: string } | null;
  afterSet: KeysStatus;
  gotMatches: boolean;
  lookupMatches: boolean;
  afterDelete: KeysStatus;
  gotAfterDelete: string | null;
  lookupAfterDelete: string | null;
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const prerequisites = ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'].filter((c) => !has(c));
const ci = process.env.CI === 'true';
if (prerequisites.length > 0 && !ci) {
  console.warn(`\n!!! SKIPPING the real keychain round trip: ${prerequisites.join(', ')} not installed (apt-get install dbus gnome-keyring libsecret-tools). In CI this is a failure.\n`);
}

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): ChildResult {
  const run = spawnSync(command, args, { cwd: repoRoot, env, encoding: 'utf8', timeout: 60_000 });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`child failed (${run.status}): ${run.stderr}\n${run.stdout}`);
  return JSON.parse(line) as ChildResult;
}

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(needle)) hits.push(path);
  }
  return hits;
}

describe('OS keychain through keytar', () => {
  it.skipIf(prerequisites.length > 0 && !ci)('stores, reads and deletes a key in a real Secret Service (service Parley, account openai)', async () => {
    expect(prerequisites, 'keychain prerequisites are missing in CI').toEqual([]);
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-keychain-'));
    dirs.push(dataDir);
    const home = await mkdtemp(join(tmpdir(), 'parley-keyring-home-'));
    dirs.push(home);
    const script = `echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "${process.execPath}" --import tsx "${child}" "$0" "$1"`;
    const env = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: home };
    const r = runChild('dbus-run-session', ['--', 'bash', '-c', script, dataDir, PLANTED], env);

    expect(r.setError).toBeNull();
    expect(r.before.backend).toBe('keychain');
    expect(r.afterSet.providers.find((p) => p.provider === 'openai')).toEqual({ provider: 'openai', set: true, source: 'keychain', last4: 'cdef', readOnly: false });
    expect(r.gotMatches).toBe(true);
    expect(r.lookupMatches).toBe(true); // secret-tool lookup service Parley account openai
    expect(r.afterDelete.providers.find((p) => p.provider === 'openai')?.set).toBe(false);
    expect(r.gotAfterDelete).toBeNull();
    expect(r.lookupAfterDelete).toBeNull();
    expect(JSON.stringify(r.afterSet)).not.toContain(PLANTED);
    expect(await filesContaining(dataDir, PLANTED)).toEqual([]);
  }, 90_000);

  it('refuses to store a key when no D-Bus session is reachable, and writes nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-nokeychain-'));
    dirs.push(dataDir);
    // No DBUS_SESSION_BUS_ADDRESS and no DISPLAY: libsecret cannot reach or autolaunch a bus.
    const env = { PATH: process.env.PATH, HOME: dataDir };
    const r = runChild(process.execPath, ['--import', 'tsx', child, dataDir, PLANTED], env);
    expect(r.before.backend).toBe('none');
    expect(r.before.backendMessage).toMatch(/No OS keychain is reachable/);
    expect(r.before.backendMessage).toMatch(/gnome-keyring/);
    expect(r.setError?.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(r.setError?.message).toMatch(/never writes keys in plain text/);
    expect(r.setError?.message).not.toContain(PLANTED);
    expect(r.gotMatches).toBe(false);
    expect(await filesContaining(dataDir, PLANTED)).toEqual([]);
    expect(await filesContaining(dataDir, 'PLANTED')).toEqual([]);
  }, 60_000);
});
