import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHost } from './support/processes';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Pids whose command line names `needle` (the host's unique data folder). */
function processesNaming(needle: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(needle) && !line.includes('ps -eo'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

describe('test processes', () => {
  it('ends a preview host started inside a wrapper, not only the wrapper', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-rel-procs-'));
    dirs.push(dataDir);
    // bash stays the parent (no exec), as dbus-run-session does for the keychain runs.
    const host = await startHost(dataDir, { wrap: (argv) => ['bash', '-c', '"$@"; exit $?', 'wrapper', ...argv] });
    expect(processesNaming(dataDir).length).toBeGreaterThanOrEqual(2);
    await host.kill('SIGTERM');
    expect(processesNaming(dataDir)).toEqual([]);
  });
});
