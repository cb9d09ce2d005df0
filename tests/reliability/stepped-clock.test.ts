/**
 * Crash recovery never trusts the clock. A session file starts with a timestamp in the future,
 * and a child process changes the session with a clock running backwards, SIGKILLed at a random
 * moment each round. After every kill the session, read as a restart reads it (file + journal),
 * must be the last acknowledged version or the one being written, whole: title, stage and
 * messages of one version, never newer messages under an older state.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../shared/stages';
import { createSessionStore } from '../../electron/store/sessions';
import { makeSession } from '../support/session-fixtures';
import { REPO_ROOT, scale } from './support/processes';
import { record } from './support/figures';

const ROUNDS = scale(50, 300);
const BASE_MESSAGES = 3;
const CHILD_SOURCE = join(REPO_ROOT, 'tests', 'reliability', 'support', 'stepped-clock-child.ts');
/** Bundled once by esbuild: starting it through tsx would cost more than a second per round. */
const CHILD = join(REPO_ROOT, '.test-results', 'reliability-bundle', 'stepped-clock-child.mjs');

const dirs: string[] = [];
beforeAll(async () => {
  const { build } = await import('esbuild');
  await build({ entryPoints: [CHILD_SOURCE], outfile: CHILD, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
});
afterAll(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A deterministic PRNG so a failing run can be replayed with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the child until it is killed; returns the highest version it acknowledged (or null). */
async function killedRound(dataDir: string, id: string, clockStart: number, killAfterMs: number): Promise<{ acked: number | null; stderr: string; killed: boolean }> {
  const child = spawn(process.execPath, [CHILD, dataDir, id, String(clockStart)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let acked: number | null = null;
  let stderr = '';
  let buffered = '';
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const m = /^saved (\d+)$/.exec(line);
        if (!m) continue;
        // Timed from the first acknowledged change, so that every kill lands in the save loop
        // however slowly the child starts on a loaded machine.
        timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        acked = Math.max(acked ?? 0, Number(m[1]));
      }
    });
    await exited;
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  return { acked, stderr, killed: child.signalCode === 'SIGKILL' };
}

describe('crash recovery with a stepped clock (real processes)', () => {
  it(`${ROUNDS} SIGKILLs while the clock runs backwards from a future-dated file lose no acknowledged state`, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-rel-clock-'));
    dirs.push(dataDir);
    const seed = makeSession(7, { messages: BASE_MESSAGES });
    const setup = await createSessionStore({ dataDir, verifyOnOpen: false });
    await setup.create({ ...seed, title: 'v0', stage: STAGES[0]!, updatedAt: '2999-01-01T00:00:00.000Z' });
    await setup.flush();

    const random = prng(20261129);
    const problems: string[] = [];
    let last = 0;
    let acknowledged = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Each round's clock starts a day before the previous one's: every new state is "older".
      const clockStart = Date.parse('2027-06-01T00:00:00.000Z') - round * 86_400_000;
      const result = await killedRound(dataDir, seed.id, clockStart, Math.floor(random() * 40));
      if (!result.killed) problems.push(`round ${round}: the child ended without being killed: ${result.stderr.slice(0, 400)}`);
      if (result.acked === null) problems.push(`round ${round}: the child was killed before acknowledging a change: ${result.stderr.slice(0, 400)}`);
      else acknowledged += result.acked - last;
      const acked = result.acked ?? last;

      const store = await createSessionStore({ dataDir, verifyOnOpen: false });
      const s = await store.get(seed.id);
      const v = Number(s.title.slice(1));
      const label = `round ${round}`;
      if (v !== acked && v !== acked + 1) problems.push(`${label}: the session is at v${v}, the last acknowledged version is v${acked}`);
      if (s.messages.length !== BASE_MESSAGES + v) problems.push(`${label}: title v${v} with ${s.messages.length - BASE_MESSAGES} added messages (state and messages of different versions)`);
      if (s.stage !== STAGES[v % STAGES.length]) problems.push(`${label}: v${v} has stage ${s.stage}, expected ${STAGES[v % STAGES.length]}`);
      if (v > 0 && s.messages.at(-1)?.id !== `k${v}`) problems.push(`${label}: the last message is ${s.messages.at(-1)?.id}, expected k${v}`);
      const listed = await store.list();
      if (listed.quarantined.length > 0) problems.push(`${label}: quarantined ${JSON.stringify(listed.quarantined)}`);
      last = Number.isInteger(v) ? v : last;
      if (problems.length > 5) break;
    }
    await record('stepped_clock_kills', ROUNDS);
    expect(problems).toEqual([]);
    // Every kill landed while changes were being saved (each round acknowledged at least one).
    expect(acknowledged).toBeGreaterThanOrEqual(ROUNDS);
  });
});
