/**
 * Crash safety of the version store: a process taking versions is SIGKILLed 100 times, mostly just
 * after an acknowledged version, so the kill lands while the next one is being written. After
 * every kill the session loads, and every version it acknowledged (and every earlier one) loads
 * with exactly the design it was taken of; nothing is ever quarantined.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createSessionStore } from '../../electron/store/sessions';
import { VersionStore } from '../../electron/versions/store';
import { runKillTrials } from '../support/crash-harness';
import { makeSession } from '../support/session-fixtures';
import { record } from './support/figures';

const TRIALS = 100;
const here = dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('versions under kill -9', () => {
  it(`loads the session and every earlier version after ${TRIALS} SIGKILLs during version writes`, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-versions-crash-'));
    dirs.push(dataDir);
    const setup = await createSessionStore({ dataDir, verifyOnOpen: false });
    const session = makeSession(5, { messages: 4 });
    session.title = 'v0';
    await setup.create(session);
    await setup.flush();
    const id = session.id;

    /** The newest change the child acknowledged, and the change the session was at after the last kill. */
    let acked = 0;
    let seen = 0;
    let ackedVersions = 0;
    /** Kills that left half a line at the end of the version file (dropped by the next writer). */
    let torn = 0;
    let beforeVersion = 0;
    let unacknowledged = 0;
    let checked = 0;
    const { acknowledged, problems } = await runKillTrials({
      trials: TRIALS,
      script: join(here, '..', 'support', 'versions-crash-child.ts'),
      args: [dataDir, id],
      onSaved: (_key, k) => {
        acked = Math.max(acked, k);
        ackedVersions++;
      },
      afterKill: async (trial, problem) => {
        // Read as a restart reads them (read-only here: a torn last line is the next writer's to drop).
        const sessions = await createSessionStore({ dataDir, verifyOnOpen: false, readOnly: true });
        const loaded = await sessions.get(id).catch((error: unknown) => problem(`trial ${trial}: the session does not load: ${String(error)}`));
        if (!loaded) return;
        const k = Number(loaded.title.slice(1));
        const floor = Math.max(acked, seen);
        if (k !== floor && k !== floor + 1) problem(`trial ${trial}: the session is at v${k}, last acknowledged v${acked}, before at v${seen}`);
        if (loaded.spec.tone?.value !== (k === 0 ? session.spec.tone?.value : `tone ${k}`)) problem(`trial ${trial}: title v${k} with tone ${loaded.spec.tone?.value}`);
        seen = k;
        const bytes = await readFile(join(dataDir, 'versions', `${id}.versions`)).catch(() => null);
        if (bytes && bytes.at(-1) !== 0x0a) torn++;
        const versions = new VersionStore({ dataDir, readOnly: true });
        const list = await versions.list(id);
        if (versions.noticeFor(id)) problem(`trial ${trial}: ${versions.noticeFor(id)}`);
        // Each acknowledged change is a version (a change saved but killed before its version is not).
        if (list.length < ackedVersions) problem(`trial ${trial}: ${list.length} versions, ${ackedVersions} acknowledged`);
        let previous = 0;
        for (const v of list) {
          const m = Number(v.name?.slice(1));
          const design = await versions.design(id, v.id);
          checked++;
          if (!(m > previous) || design?.title !== `v${m}` || design.spec.tone?.value !== `tone ${m}`) {
            problem(`trial ${trial}: ${v.id} (${v.name}) holds title ${design?.title}, tone ${design?.spec.tone?.value}`);
          }
          previous = m;
        }
        // The newest version is at least the last acknowledged change's (a change saved, then killed before its version, has none).
        if (previous < acked || previous > k) problem(`trial ${trial}: the newest version is of change ${previous}, the session is at ${k}, last acknowledged ${acked}`);
        // Where the kill landed: after the session's save and before its version was on disk, or after both but before the acknowledgement.
        if (previous < k) beforeVersion++;
        else if (previous === k && k > acked) unacknowledged++;
        ackedVersions = Math.max(ackedVersions, list.length);
      },
    });
    await record('versions.crashKills', TRIALS);
    await record('versions.crashVersionsChecked', checked);
    await record('versions.crashTornTails', torn);
    await record('versions.crashKilledBeforeVersion', beforeVersion);
    await record('versions.crashKilledBeforeAck', unacknowledged);
    // Some kills must land between a change's save and its version being durable, or the test proves little.
    expect(beforeVersion + unacknowledged).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    // The kills must land while versions are being written, or the test proves nothing.
    expect(acknowledged).toBeGreaterThan(TRIALS);
    expect(await readdir(dataDir)).not.toContain('quarantine');
  }, 300_000);
});
